import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { escapeRegExp, pgrep } from "./harness/command.js";
import { sweep, type Expected } from "./harness/dns-sweep.js";
import { eventually } from "./harness/poll.js";
import { usePod } from "./harness/use-pod.js";

// `kube-dns up --etcd-members 3`: the pod's etcd as a three-member cluster on loopback, kube2sky and skydns given all
// three. The leader member is SIGKILLed; the launcher restarts it, and DNS answers throughout.
const STEADY: Expected[] = [
  { name: "kubernetes.default.svc.cluster.local", type: "A", rcode: "NOERROR", data: ["10.0.0.1"] },
  { name: "kube-dns.kube-system.svc.cluster.local", type: "A", rcode: "NOERROR", data: ["10.0.0.10"] },
];

describe("kube-dns up --etcd-members 3", () => {
  const pod = usePod({ etcdMembers: 3, queryLog: false });

  it("runs the pod's etcd as three members, and kube2sky and skydns use every one of them", async () => {
    const members = await pod().etcdctl(["--endpoints", pod().etcdUrls.join(","), "member", "list"]);
    expect(members.stdout.trim().split("\n").map((line) => line.split(", ")[2]).sort()).toEqual(["etcd-1", "etcd-2", "etcd-3"]);
    const processes = await pgrep(`--etcd-server=${escapeRegExp(pod().etcdUrls.join(","))}( |$)`);
    expect(processes).toHaveLength(1);
    expect(await pgrep(`--machines=${escapeRegExp(pod().etcdUrls.join(","))}( |$)`)).toHaveLength(1);
    expect((await sweep(pod().dnsIp, 53, STEADY)).mismatches).toEqual([]);
  });

  it("answers throughout when the etcd leader is SIGKILLed; the launcher brings the member back and a new service reaches DNS", async () => {
    const leader = await leaderIndex(pod().etcdUrls);
    const pattern = `--data-dir=${escapeRegExp(join(pod().stateDir, `etcd-${leader + 1}`))}( |$)`;
    const [pid] = await pgrep(pattern);
    if (pid === undefined) throw new Error(`no process for etcd-${leader + 1}`);
    let sweeping = true;
    let asked = 0;
    const wrong: unknown[] = [];
    const queries = (async () => {
      while (sweeping) {
        const result = await sweep(pod().dnsIp, 53, STEADY);
        asked += result.asked;
        wrong.push(...result.mismatches);
      }
    })();
    try {
      const killed = Date.now();
      process.kill(pid, "SIGKILL");
      const service = await createService(pod().apiserverUrl, "after-leader-kill");
      const expected: Expected = { name: "after-leader-kill.default.svc.cluster.local", type: "A", rcode: "NOERROR", data: [service.clusterIP] };
      await eventually(async () => ((await sweep(pod().dnsIp, 53, [expected])).mismatches.length === 0 ? true : undefined), { what: "the new service in DNS", timeoutMs: 30_000, intervalMs: 100 });
      const propagatedSeconds = (Date.now() - killed) / 1000;
      await eventually(async () => {
        const [now] = await pgrep(pattern);
        return now !== undefined && now !== pid ? now : undefined;
      }, { what: `etcd-${leader + 1} restarted`, timeoutMs: 30_000, intervalMs: 100 });
      const url = pod().etcdUrls[leader] as string;
      await eventually(async () => ((await fetch(`${url}/health`)).status === 200 ? true : undefined), { what: `etcd-${leader + 1} healthy again`, timeoutMs: 30_000, intervalMs: 200 });
      console.log(`kube-dns up --etcd-members 3: leader etcd-${leader + 1} killed; a service created then answered after ${propagatedSeconds.toFixed(1)} s`);
    } finally {
      sweeping = false;
      await queries;
    }
    expect(asked).toBeGreaterThan(0);
    expect(wrong).toEqual([]);
  }, 120_000);
});

// Asks each member for its status (the v3 API's JSON gateway) and returns the index of the one that leads.
async function leaderIndex(urls: readonly string[]): Promise<number> {
  return eventually(async () => {
    for (const [i, url] of urls.entries()) {
      const response = await fetch(`${url}/v3/maintenance/status`, { method: "POST", body: "{}", signal: AbortSignal.timeout(2000) });
      const status = (await response.json()) as { header?: { member_id?: string }; leader?: string };
      if (status.leader !== undefined && status.header?.member_id === status.leader) return i;
    }
    return undefined;
  }, { what: "the etcd leader", timeoutMs: 10_000 });
}

async function createService(apiserverUrl: string, name: string): Promise<{ clusterIP: string }> {
  const response = await fetch(`${apiserverUrl}/api/v1/namespaces/default/services`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ apiVersion: "v1", kind: "Service", metadata: { name }, spec: { ports: [{ name: "http", port: 80 }] } }),
  });
  const body = (await response.json()) as { spec?: { clusterIP?: string } };
  if (response.status !== 201) throw new Error(`creating ${name}: ${response.status} ${JSON.stringify(body)}`);
  return { clusterIP: String(body.spec?.clusterIP) };
}
