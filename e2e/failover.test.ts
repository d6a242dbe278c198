import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startDevApiServer, type DevApiServer } from "@kube-dns/dev-apiserver";
import { connectEtcd } from "@kube-dns/etcd-feed";
import { type EtcdCertificates, type EtcdCluster, type EtcdServer, freePort, makeEtcdCertificates, startEtcd, startEtcdCluster } from "@kube-dns/etcd-process";
import type { Etcd3 } from "etcd3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { apiRequest } from "./harness/api-client.js";
import { seededAnswers } from "./harness/api-records.js";
import { Churn } from "./harness/churn.js";
import { seedServices, type SeededService } from "./harness/cluster-seed.js";
import { type Expected, sweep } from "./harness/dns-sweep.js";
import { formatTable, percentile, type ScenarioRow } from "./harness/failover-table.js";
import { eventually } from "./harness/poll.js";
import { ProgramProcess } from "./harness/program-process.js";
import { ReplicaQueries } from "./harness/replica-queries.js";
import { settle } from "./harness/settle.js";

// Past one pod: a three-member etcd over TLS, two kube2sky (one leads), three skydns, and a dev-apiserver taking a
// churn of service creates, updates and deletes. Each scenario breaks one part again and again; after each fault,
// etcd's /skydns must equal what the API says and every skydns must answer exactly that, and no query for a service
// that exists throughout may ever be answered wrong.
const STABLE = 30;
const LEASE_TTL = "3s";
const stable: SeededService[] = Array.from({ length: STABLE }, (_, i) => ({ namespace: "stable", name: `s-${i}`, clusterIP: `10.0.100.${i + 1}` }));
const stableNames = seededAnswers(stable);

describe("failover past one pod: a three-member etcd, two kube2sky, three skydns, under churn", () => {
  const dir = mkdtempSync(join(tmpdir(), "kube-dns-failover-"));
  let certs: EtcdCertificates;
  let cluster: EtcdCluster;
  let apiEtcd: EtcdServer;
  let api: DevApiServer;
  let etcd: Etcd3;
  let churn: Churn;
  let queries: ReplicaQueries;
  const kube2sky: ProgramProcess[] = [];
  const skydns: Array<{ process: ProgramProcess; port: number }> = [];
  const rows: ScenarioRow[] = [];
  const propagation: Record<string, number[]> = { "no fault": [], "etcd leader killed": [] };

  beforeAll(async () => {
    certs = await makeEtcdCertificates(dir);
    [cluster, apiEtcd] = await Promise.all([
      startEtcdCluster({ size: 3, tls: { certFile: certs.serverCertFile, keyFile: certs.serverKeyFile, caFile: certs.caFile, clientCertAuth: true } }),
      startEtcd(),
    ]);
    etcd = connectEtcd({ endpoints: cluster.clientUrls, caFile: certs.caFile, certFile: certs.clientCertFile, keyFile: certs.clientKeyFile });
    api = await startDevApiServer({ etcdUrl: apiEtcd.clientUrl, logLevel: "silent" });
    await seedServices(apiEtcd.clientUrl, stable);
    for (const namespace of ["churn", "probe"]) await apiRequest(api.url, "POST", "/api/v1/namespaces", { apiVersion: "v1", kind: "Namespace", metadata: { name: namespace } });
    const machines = cluster.clientUrls.join(",");
    for (const i of [1, 2]) {
      const port = await freePort();
      kube2sky.push(new ProgramProcess(`kube2sky-${i}`, "kube2sky", [
        `--kubecfg-file=${api.kubeconfigPath}`, `--etcd-server=${machines}`, `--etcd-cafile=${certs.caFile}`, `--etcd-certfile=${certs.clientCertFile}`,
        `--etcd-keyfile=${certs.clientKeyFile}`, `--healthz-port=${port}`, `--leader-elect-ttl=${LEASE_TTL}`, "--etcd-mutation-timeout=2s",
      ], `http://127.0.0.1:${port}/readiness`));
    }
    for (const i of [1, 2, 3]) {
      const [port, metrics] = [await freePort(), await freePort()];
      skydns.push({ port, process: new ProgramProcess(`skydns-${i}`, "skydns", [
        `--addr=127.0.0.1:${port}`, `--machines=${machines}`, `--ca-cert=${certs.caFile}`, `--tls-pem=${certs.clientCertFile}`, `--tls-key=${certs.clientKeyFile}`,
        `--metrics-addr=127.0.0.1:${metrics}`, "--no-rec", "--log-level=warn",
      ], `http://127.0.0.1:${metrics}/ready`) });
    }
    for (const p of [...kube2sky, ...skydns.map((s) => s.process)]) p.start();
    await Promise.all([...kube2sky, ...skydns.map((s) => s.process)].map((p) => p.waitReady()));
    churn = new Churn(api.url, "churn");
    queries = new ReplicaQueries(() => skydns.map((s) => ({ name: s.process.name, host: "127.0.0.1", port: s.port, up: s.process.ready, generation: s.process.generation })), stableNames, 200);
    await converged();
    for (let i = 0; i < 3; i++) propagation["no fault"]!.push(await propagationOf(`calm-${i}`));
    queries.start();
  }, 120_000);

  afterAll(async () => {
    await churn?.stop();
    await queries?.stop();
    await Promise.all([...kube2sky, ...skydns.map((s) => s.process)].map((p) => p.stop()));
    etcd?.close();
    await api?.stop();
    await Promise.all([cluster?.stop(), apiEtcd?.stop()]);
    rmSync(dir, { recursive: true, force: true });
    if (rows.length === 0) return;
    const delays = Object.entries(propagation).map(([when, s]) => `${when}: p50 ${percentile(s, 50).toFixed(1)} s, max ${percentile(s, 100).toFixed(1)} s (${s.length})`);
    console.log(`${formatTable(rows)}\n\nA new service, from its create to an answer from every skydns: ${delays.join("; ")}`);
  }, 60_000);

  it("(a) loses no answer while the kube2sky leader is SIGKILLed 10 times; each time the standby takes over and repairs", async () => {
    // Within the lease's TTL plus one reconcile (a full sync of this cluster takes well under a second; 3 s of slack).
    await scenario("kube2sky leader SIGKILLed", 10, 3 + 3, async () => {
      const [leader, standby] = await roles();
      const killed = Date.now();
      await leader.kill();
      leader.start(); // as the kubelet restarts a container
      await eventually(async () => ((await fullSyncsAsLeader(standby)) ? true : undefined), { what: `${standby.name} leading and synced`, timeoutMs: 20_000, intervalMs: 50 });
      const takeover = (Date.now() - killed) / 1000;
      await leader.waitReady();
      return takeover;
    });
  }, 240_000);

  it("(b) loses no answer while the etcd leader member is SIGKILLed and restarted 3 times", async () => {
    // etcd's election timeout is 1 s; the election itself takes some more.
    await scenario("etcd leader member SIGKILLed, restarted", 3, 5, async (i) => {
      const victim = await cluster.leader();
      const killed = Date.now();
      await victim.kill();
      const propagated = propagationOf(`probe-${i}`);
      await eventually(async () => ((await cluster.leader().catch(() => victim)) !== victim ? true : undefined), { what: "a new etcd leader", timeoutMs: 20_000, intervalMs: 50 });
      const takeover = (Date.now() - killed) / 1000;
      propagation["etcd leader killed"]!.push(await propagated);
      await victim.start();
      return takeover;
    });
  }, 180_000);

  it("(c) loses no answer while one skydns replica is SIGKILLed, 3 times, and the restarted one answers the same", async () => {
    // Takeover here: the killed replica restarted and ready again (it was away 1 s of it).
    await scenario("one skydns replica SIGKILLed", 3, 15, async (i) => {
      const replica = skydns[i % skydns.length]!.process;
      const killed = Date.now();
      await replica.kill();
      await new Promise((resolve) => setTimeout(resolve, 1000)); // the others answer alone meanwhile
      replica.start();
      await replica.waitReady();
      return (Date.now() - killed) / 1000;
    });
  }, 120_000);

  // Runs one scenario: churn around each fault, then the API held still and everything checked against it. Every
  // takeover must take less than boundSeconds.
  async function scenario(name: string, faults: number, boundSeconds: number, fault: (i: number) => Promise<number>): Promise<void> {
    const [changes, asked, wrong] = [churn.changes, queries.queries, queries.wrong.length];
    const takeovers: number[] = [];
    for (let i = 0; i < faults; i++) {
      churn.resume();
      await new Promise((resolve) => setTimeout(resolve, 500));
      takeovers.push(await fault(i));
      await new Promise((resolve) => setTimeout(resolve, 500));
      await churn.pause();
      await converged();
    }
    rows.push({ scenario: name, faults, changes: churn.changes - changes, queries: queries.queries - asked, wrong: queries.wrong.length - wrong, takeovers });
    expect(queries.wrong.slice(wrong)).toEqual([]);
    expect(Math.max(...takeovers)).toBeLessThan(boundSeconds);
  }

  // etcd's /skydns equals what the API says, and every skydns answers exactly that.
  async function converged(): Promise<void> {
    const servers = skydns.map(({ process, port }) => ({ name: process.name, host: "127.0.0.1", port }));
    const { mismatches } = await settle(etcd, api.url, churn, servers);
    if (mismatches.length > 0) throw new Error(`not what the API says: ${mismatches.slice(0, 5).join("; ")}\n${kube2sky.map((p) => p.tail()).join("\n")}`);
  }

  // The running kube2sky replicas as [leader, standby], once exactly one leads and the other stands by.
  async function roles(): Promise<[ProgramProcess, ProgramProcess]> {
    return eventually(async () => {
      const said = await Promise.all(kube2sky.map(async (p) => (await fetch(p.readyUrl, { signal: AbortSignal.timeout(2000) })).text()));
      const leader = kube2sky[said.indexOf("ok: leader\n")];
      const standby = kube2sky[said.indexOf("ok: standby\n")];
      return leader !== undefined && standby !== undefined ? ([leader, standby] as [ProgramProcess, ProgramProcess]) : undefined;
    }, { what: "one kube2sky leading, one standing by", timeoutMs: 30_000, intervalMs: 100 });
  }

  // True once the replica leads and has committed the full sync that starts its term.
  async function fullSyncsAsLeader(p: ProgramProcess): Promise<boolean> {
    const text = await (await fetch(p.readyUrl.replace("/readiness", "/metrics"), { signal: AbortSignal.timeout(2000) })).text();
    const leading = /^kubedns_kube2sky_leader 1$/m.test(text);
    const fullSyncs = Number(/^kubedns_kube2sky_sync_duration_seconds_count\{kind="full"\} (\d+)$/m.exec(text)?.[1] ?? 0);
    return leading && fullSyncs > 0;
  }

  // Creates a service and returns the seconds until every skydns replica answers it.
  async function propagationOf(name: string): Promise<number> {
    const started = Date.now();
    const created = (await apiRequest(api.url, "POST", "/api/v1/namespaces/probe/services", { apiVersion: "v1", kind: "Service", metadata: { name }, spec: { ports: [{ name: "http", port: 80 }] } })) as { spec: { clusterIP: string } };
    const expected: Expected[] = [{ name: `${name}.probe.svc.cluster.local`, type: "A", rcode: "NOERROR", data: [created.spec.clusterIP] }];
    await eventually(async () => {
      const results = await Promise.all(skydns.map((s) => sweep("127.0.0.1", s.port, expected)));
      return results.every((r) => r.mismatches.length === 0) ? true : undefined;
    }, { what: `${name} answered by every skydns`, timeoutMs: 30_000, intervalMs: 50 });
    return (Date.now() - started) / 1000;
  }
});
