import { createLogger } from "@kube-dns/log";
import { pathFor, reverseNameFor } from "@kube-dns/msg";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { type Kube2sky, startKube2sky } from "../src/start.js";
import { type Cluster, endpointSlice, service, startCluster, waitForEtcd } from "./cluster.js";
import { etcdctlGet } from "./etcdctl.js";
import { type LogSink, logSink } from "./logsink.js";

// Kubernetes objects kube2sky cannot map, or can map only in part: never a crash, never a bad record.
const SVC = "/skydns/local/cluster/svc/default";
let cluster: Cluster;
let kube2sky: Kube2sky;
let logs: LogSink;

beforeAll(async () => {
  cluster = await startCluster();
  logs = logSink();
  kube2sky = await startKube2sky({
    kubecfgFile: cluster.api.kubeconfigPath, etcdServer: cluster.dnsEtcd.clientUrl, etcdMutationTimeoutMs: 5000,
    healthzPort: 0, healthzHost: "127.0.0.1", pods: false, logger: createLogger("kube2sky", "info", logs.stream),
  });
  await kube2sky.ready;
}, 60_000);

afterAll(async () => {
  await kube2sky?.stop();
  await cluster?.stop();
});

const create = async (resource: string, body: unknown): Promise<void> => {
  const path = resource === "endpointslices" ? "/apis/discovery.k8s.io/v1/namespaces/default/endpointslices" : `/api/v1/namespaces/default/${resource}`;
  expect((await cluster.request("POST", path, body)).code).toBe(201);
};
const skipped = async (): Promise<number> => (await kube2sky.registry.getSingleMetric("kubedns_kube2sky_skipped_total")?.get())?.values[0]?.value ?? 0;
const dns = (): string => cluster.dnsEtcd.clientUrl;

describe("objects kube2sky cannot map, against the dev API server and a real etcd", () => {
  it("writes all 1,000 SRV records of a service with a thousand named ports, over several transactions", async () => {
    const ports = Array.from({ length: 1000 }, (_, i) => ({ name: `p${i}`, port: 10_000 + i, protocol: "TCP" }));
    await create("services", service("wide", { clusterIP: "10.0.0.60", ports }));
    const kv = await waitForEtcd(dns(), `${SVC}/wide/`, (all) => Object.keys(all).length === 1001, 60_000);
    expect(Object.keys(kv).filter((key) => key.startsWith(`${SVC}/wide/_tcp/_p`))).toHaveLength(1000);
    expect(JSON.parse(kv[`${SVC}/wide/_tcp/_p999/${Object.keys(kv)[0]!.split("/").pop()}`] ?? "{}")).toMatchObject({ port: 10_999 });
  }, 90_000);

  it("maps an IPv6 endpoint of an IPv4 cluster to an address record of its own (AAAA, never A) and an ip6.arpa PTR", async () => {
    await create("services", service("six", { clusterIP: "None", ports: [{ name: "http", port: 80, protocol: "TCP" }] }));
    await create("endpointslices", endpointSlice("six-1", "six", [{ addresses: ["fd00::6"], conditions: { ready: true } }], [{ name: "http", port: 80, protocol: "TCP" }], "IPv6"));
    const kv = await waitForEtcd(dns(), `${SVC}/six/`, (all) => Object.keys(all).some((key) => key.includes("/_tcp/_http/")));
    const hosts = Object.values(kv).map((value) => (JSON.parse(value) as { host: string }).host);
    expect(hosts).toContain("fd00::6");
    expect(hosts.every((host) => host === "fd00::6" || host.endsWith(".six.default.svc.cluster.local."))).toBe(true);
    const ptr = await etcdctlGet(dns(), `${pathFor(reverseNameFor("fd00::6"))}/`);
    expect(Object.values(ptr).map((value) => (JSON.parse(value) as { host: string }).host)).toEqual([expect.stringMatching(/\.six\.default\.svc\.cluster\.local\.$/)]);
  });

  it("skips a bad endpoint address and an invalid port name with one log line and a count, keeping the rest", async () => {
    const before = await skipped();
    await create("services", service("mixed", { clusterIP: "None", ports: [{ name: "Bad_Port", port: 80, protocol: "TCP" }] }));
    await create(
      "endpointslices",
      endpointSlice("mixed-1", "mixed", [{ addresses: ["10.244.9.9"], conditions: { ready: true } }, { addresses: ["999.1.1.1"], conditions: { ready: true } }], [
        { name: "Bad_Port", port: 80, protocol: "TCP" },
        { port: 81, protocol: "TCP" },
      ]),
    );
    const kv = await waitForEtcd(dns(), `${SVC}/mixed/`, (all) => Object.keys(all).length > 0);
    expect(Object.values(kv).map((value) => (JSON.parse(value) as { host: string }).host)).toEqual(["10.244.9.9"]);
    await vi.waitFor(async () => expect(await skipped()).toBe(before + 2), { timeout: 10_000, interval: 100 });
    const lines = logs.lines.filter((line) => line["msg"] === "skipped bad data" && line["unit"] === "service/default/mixed");
    expect(lines).toHaveLength(1);
    expect(String(lines[0]!["reasons"])).toMatch(/999\.1\.1\.1.*not an IP address|Bad_Port/);
    expect((await fetch(`http://127.0.0.1:${kube2sky.healthzPort}/readiness`)).status).toBe(200);
  });
});

describe("kube2sky's HTTP endpoints", () => {
  it("name no server software and serve nothing but /readiness, /healthz and /metrics", async () => {
    const base = `http://127.0.0.1:${kube2sky.healthzPort}`;
    for (const path of ["/readiness", "/healthz", "/metrics", "/debug/pprof/", "/../../etc/passwd", "/env"]) {
      const response = await fetch(base + path);
      const body = await response.text();
      expect(response.headers.get("x-powered-by"), path).toBeNull();
      expect(body, path).not.toContain(cluster.api.kubeconfigPath);
      expect(body, path).not.toContain("-----BEGIN");
      if (!["/readiness", "/healthz", "/metrics"].includes(new URL(base + path).pathname)) expect(response.status, path).toBe(404);
    }
  });
});
