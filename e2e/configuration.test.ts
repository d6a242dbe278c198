import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getentHosts } from "./harness/answers.js";
import { eventually } from "./harness/poll.js";
import { startUpstream, type Upstream } from "./harness/upstream.js";
import { usePod } from "./harness/use-pod.js";

/**
 * Configuration as operators set it, through the whole pod: the `kube-dns` ConfigMap edited with kubectl (kube2sky
 * mirrors it to /skydns/config, skydns applies it live) and an operator's own zone written with etcdctl.
 */
const STUB_NAME = "web.acme.local";
const EXTRA_ZONE = "example.org";
/** How long a ConfigMap edit may take to reach every answer: kube2sky's watch, one transaction, skydns's watch. */
const CONFIG_WITHIN_MS = 5000;

describe("the kube-dns ConfigMap and extra zones, live", () => {
  const pod = usePod({ upArgs: [`--zones=${EXTRA_ZONE}`] });
  let first: Upstream;
  let second: Upstream;

  beforeAll(async () => {
    // Two stub servers for acme.local on loopback, telling apart which one answered.
    first = await startUpstream({ [STUB_NAME]: "10.9.9.1" });
    second = await startUpstream({ [STUB_NAME]: "10.9.9.2" });
  }, 30_000);

  afterAll(async () => {
    await pod().kubectl(["-n", "kube-system", "delete", "configmap", "kube-dns", "--ignore-not-found"]);
    await Promise.all([first?.stop(), second?.stop()]);
  });

  const answerOf = async (name: string): Promise<string> => {
    const result = await pod().dig(["+noall", "+answer", "+comments", name, "A"]);
    const status = /status: (\w+)/.exec(result.stdout)?.[1] ?? "no answer";
    const address = /\sIN\s+A\s+(\S+)/.exec(result.stdout)?.[1];
    return address === undefined ? status : address;
  };
  const stubDomains = (upstream: Upstream): string => JSON.stringify({ "acme.local": [upstream.address] });
  // Waits until name answers want; returns how long it took.
  const until = async (name: string, want: string, timeoutMs = CONFIG_WITHIN_MS): Promise<number> => {
    const started = Date.now();
    await eventually(async () => ((await answerOf(name)) === want ? true : undefined), { what: `${name} answering ${want}`, timeoutMs, intervalMs: 50 });
    return Date.now() - started;
  };

  it("sends a stub domain's names to its servers once `kubectl create configmap` names them", async () => {
    // Before: the pod's upstream (the tests' "internet") knows no acme.local.
    expect(await answerOf(STUB_NAME)).toBe("NXDOMAIN");
    const created = await pod().kubectl(["-n", "kube-system", "create", "configmap", "kube-dns", `--from-literal=stubDomains=${stubDomains(first)}`]);
    expect(created.stderr).toBe("");
    const took = await until(STUB_NAME, "10.9.9.1");
    console.log(`ConfigMap created -> ${STUB_NAME} answered by its stub after ${took} ms`);
    // A pod's own resolver, through its search path (ndots:5), gets the stub's answer too.
    const getent = await pod().shell("acme-client", { namespace: "default" }).run("getent", ["hosts", STUB_NAME]);
    expect(getentHosts(getent.stdout)).toEqual([{ address: "10.9.9.1", names: [STUB_NAME] }]);
  }, 60_000);

  it("moves the domain to another stub on an edit, no query in between getting another answer", async () => {
    const seen = new Map<string, number>();
    let asking = true;
    const asker = (async () => {
      while (asking) {
        const answer = await answerOf(STUB_NAME);
        seen.set(answer, (seen.get(answer) ?? 0) + 1);
      }
    })();
    try {
      const patch = JSON.stringify({ data: { stubDomains: stubDomains(second) } });
      expect((await pod().kubectl(["-n", "kube-system", "patch", "configmap", "kube-dns", "--type=merge", "-p", patch])).code).toBe(0);
      const took = await until(STUB_NAME, "10.9.9.2");
      console.log(`ConfigMap edited -> ${STUB_NAME} answered by the new stub after ${took} ms`);
    } finally {
      asking = false;
      await asker;
    }
    // Every answer came from one stub or the other: none NXDOMAIN, SERVFAIL or unanswered while the domain moved.
    expect([...seen.keys()].filter((answer) => answer !== "10.9.9.1" && answer !== "10.9.9.2")).toEqual([]);
    expect(seen.get("10.9.9.2")).toBeGreaterThan(0);
  }, 60_000);

  it("refuses a ConfigMap that does not parse as a whole, keeping the last good one", async () => {
    const refused = (await pod().kube2skyMetric("kubedns_kube2sky_config_refused_total")) ?? 0;
    const broken = JSON.stringify({ data: { stubDomains: "{not json" } });
    expect((await pod().kubectl(["-n", "kube-system", "patch", "configmap", "kube-dns", "--type=merge", "-p", broken])).code).toBe(0);
    await expect.poll(async () => (await pod().kube2skyMetric("kubedns_kube2sky_config_refused_total")) ?? 0, { timeout: CONFIG_WITHIN_MS }).toBe(refused + 1);
    for (let i = 0; i < 5; i++) expect(await answerOf(STUB_NAME)).toBe("10.9.9.2");
  }, 60_000);

  it("returns to the flags' upstreams when the ConfigMap is deleted", async () => {
    expect((await pod().kubectl(["-n", "kube-system", "delete", "configmap", "kube-dns"])).code).toBe(0);
    await until(STUB_NAME, "NXDOMAIN");
    expect((await pod().etcdctl(["get", "/skydns/config"])).stdout).toBe("");
  }, 60_000);

  it("serves an operator's own record put with etcdctl under an extra zone, and NXDOMAIN with the zone's SOA once deleted", async () => {
    const key = `/skydns/org/example/www`;
    expect((await pod().etcdctl(["put", key, JSON.stringify({ host: "10.7.7.7", ttl: 60 })])).code).toBe(0);
    await until(`www.${EXTRA_ZONE}`, "10.7.7.7");
    const authoritative = await pod().dig(["+noall", "+comments", `www.${EXTRA_ZONE}`, "A"]);
    expect(authoritative.stdout).toMatch(/flags: qr aa rd/);
    // kube2sky leaves it alone: restarted, its full sync does not touch keys it does not own.
    await pod().kill("kube2sky");
    expect(await answerOf(`www.${EXTRA_ZONE}`)).toBe("10.7.7.7");
    expect((await pod().etcdctl(["get", key, "--print-value-only"])).stdout.trim()).toBe(JSON.stringify({ host: "10.7.7.7", ttl: 60 }));
    expect((await pod().etcdctl(["del", key])).stdout.trim()).toBe("1");
    await until(`www.${EXTRA_ZONE}`, "NXDOMAIN");
    const denial = await pod().dig(["+noall", "+authority", `www.${EXTRA_ZONE}`, "A"]);
    expect(denial.stdout).toMatch(new RegExp(`^${EXTRA_ZONE.replace(".", "\\.")}\\.\\s+\\d+\\s+IN\\s+SOA\\s`, "m"));
  }, 60_000);
});
