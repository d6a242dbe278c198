import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createLogger } from "@kube-dns/log";
import { type Kube2sky, startKube2sky } from "../src/start.js";
import { type Cluster, service, startCluster, waitForEtcd } from "./cluster.js";
import { A, etcdctlGet, NAME } from "./etcdctl.js";

const SVC = "/skydns/local/cluster/svc/default";
let cluster: Cluster;
let kube2sky: Kube2sky;

beforeAll(async () => {
  cluster = await startCluster();
  kube2sky = await startKube2sky({
    // --kube-master-url alone: a plain client without credentials, as v1.2.
    kubeMasterUrl: cluster.api.url,
    etcdServer: cluster.dnsEtcd.clientUrl,
    endpointsApi: "endpoints",
    resyncPeriodMs: 1000,
    healthzPort: 0,
    healthzHost: "127.0.0.1",
    logger: createLogger("kube2sky", "silent"),
  });
  await kube2sky.ready;
});

afterAll(async () => {
  await kube2sky?.stop();
  await cluster?.stop();
});

function endpoints(name: string, annotations: Record<string, string>, ips: string[]): Record<string, unknown> {
  return {
    apiVersion: "v1",
    kind: "Endpoints",
    metadata: { name, namespace: "default", annotations },
    subsets: [{ addresses: ips.map((ip) => ({ ip })), ports: [{ name: "http", port: 80, protocol: "TCP" }] }],
  };
}

describe("kube2sky on the v1 Endpoints API over --kube-master-url, as v1.2, resyncing every second", () => {
  it("takes hostnames from v1.2's hostnames-map annotation, and removes the records when the Endpoints go", async () => {
    expect((await cluster.request("POST", "/api/v1/namespaces/default/services", service("web", { clusterIP: "None", ports: [{ name: "http", port: 80 }] }))).code).toBe(201);
    const annotation = { "endpoints.beta.kubernetes.io/hostnames-map": '{"10.244.1.5":{"HostName":"web-0"}}' };
    expect((await cluster.request("POST", "/api/v1/namespaces/default/endpoints", endpoints("web", annotation, ["10.244.1.5", "10.244.2.7"]))).code).toBe(201);
    await waitForEtcd(cluster.dnsEtcd.clientUrl, `${SVC}/web/`, (kv) => Object.keys(kv).length === 4);
    expect(await etcdctlGet(cluster.dnsEtcd.clientUrl, `${SVC}/web/`)).toEqual({
      [`${SVC}/web/web-0`]: A("10.244.1.5"),
      [`${SVC}/web/c89ee3`]: A("10.244.2.7"),
      [`${SVC}/web/_tcp/_http/web-0`]: NAME("web-0.web.default.svc.cluster.local.", 80),
      [`${SVC}/web/_tcp/_http/c89ee3`]: NAME("c89ee3.web.default.svc.cluster.local.", 80),
    });
    // v1.2 had no delete handler for Endpoints: their records outlived them.
    expect((await cluster.request("DELETE", "/api/v1/namespaces/default/endpoints/web")).code).toBe(200);
    await waitForEtcd(cluster.dnsEtcd.clientUrl, `${SVC}/web/`, (kv) => Object.keys(kv).length === 0);
  });

  it("ignores an annotation that is not JSON and still serves the endpoints (v1.2 crashed)", async () => {
    expect((await cluster.request("POST", "/api/v1/namespaces/default/services", service("bad", { clusterIP: "None", ports: [{ name: "http", port: 80 }] }))).code).toBe(201);
    const annotation = { "endpoints.beta.kubernetes.io/hostnames-map": "{not json" };
    expect((await cluster.request("POST", "/api/v1/namespaces/default/endpoints", endpoints("bad", annotation, ["10.244.1.5"]))).code).toBe(201);
    await waitForEtcd(cluster.dnsEtcd.clientUrl, `${SVC}/bad/`, (kv) => Object.keys(kv).length === 2);
    expect(Object.keys(await etcdctlGet(cluster.dnsEtcd.clientUrl, `${SVC}/bad/`)).sort()).toEqual([`${SVC}/bad/9e51737e`, `${SVC}/bad/_tcp/_http/9e51737e`]);
    const metrics = await kube2sky.registry.metrics();
    expect(metrics).toMatch(/kubedns_kube2sky_skipped_total [1-9]/);
  });

  it("puts back, at the next resync, a record deleted behind its back", async () => {
    const key = "/skydns/local/cluster/svc/default/kubernetes/c88f1059";
    await promisify(execFile)("etcdctl", ["--endpoints", cluster.dnsEtcd.clientUrl, "del", key], { env: { ...process.env, ETCDCTL_API: "3" } });
    const back = await waitForEtcd(cluster.dnsEtcd.clientUrl, key, (kv) => key in kv);
    expect(back[key]).toBe(A("10.0.0.1"));
  });
});
