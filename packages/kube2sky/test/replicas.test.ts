import { addressRecord, encodeRecord, recordIdFor } from "@kube-dns/msg";
import { createLogger } from "@kube-dns/log";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Kube2sky, startKube2sky } from "../src/start.js";
import { type Cluster, service, startCluster, waitForEtcd } from "./cluster.js";
import { A, etcdctlDelete, etcdctlGet, etcdctlPut } from "./etcdctl.js";

const SVC = "/skydns/local/cluster/svc/default";
const idOf = (ip: string) => recordIdFor(encodeRecord(addressRecord(ip)));

let cluster: Cluster;
const running: Kube2sky[] = [];

beforeAll(async () => {
  cluster = await startCluster();
});

afterAll(async () => {
  await Promise.all(running.map((k) => k.stop()));
  await cluster?.stop();
});

async function replica(identity: string): Promise<Kube2sky> {
  const kube2sky = await startKube2sky({
    kubecfgFile: cluster.api.kubeconfigPath,
    etcdServer: cluster.dnsEtcd.clientUrl,
    etcdMutationTimeoutMs: 2000,
    leaderElectTtlMs: 2000,
    healthzPort: 0,
    healthzHost: "127.0.0.1",
    identity,
    logger: createLogger("kube2sky", "silent"),
  });
  running.push(kube2sky);
  await kube2sky.ready;
  return kube2sky;
}

async function readiness(kube2sky: Kube2sky): Promise<string> {
  return (await fetch(`http://127.0.0.1:${kube2sky.healthzPort}/readiness`)).text();
}

async function leaderGauge(kube2sky: Kube2sky): Promise<string | undefined> {
  const text = await (await fetch(`http://127.0.0.1:${kube2sky.healthzPort}/metrics`)).text();
  return /^kubedns_kube2sky_leader (\d)$/m.exec(text)?.[1];
}

describe("two kube2sky replicas against one etcd", () => {
  it("elect one writer; the other stands by ready with warm caches, and readiness and metrics say which is which", async () => {
    const a = await replica("a");
    const b = await replica("b");
    expect([a.role(), b.role()]).toEqual(["leader", "standby"]);
    expect(await readiness(a)).toBe("ok: leader\n");
    expect(await readiness(b)).toBe("ok: standby\n");
    expect([await leaderGauge(a), await leaderGauge(b)]).toEqual(["1", "0"]);
    expect((await cluster.request("POST", "/api/v1/namespaces/default/services", service("web", { clusterIP: "10.0.0.20", ports: [{ name: "http", port: 80, protocol: "TCP" }] }))).code).toBe(201);
    await waitForEtcd(cluster.dnsEtcd.clientUrl, `${SVC}/web/`, (kv) => kv[`${SVC}/web/${idOf("10.0.0.20")}`] === A("10.0.0.20"));
  });

  it("hands over when the leader stops, and the successor's first sync repairs what the old leader left half done", async () => {
    const [a, b] = running as [Kube2sky, Kube2sky];
    // What a leader leaves when it dies between the transactions of a unit too large for one: the registry widened
    // to old and new keys, the new record written, the old one not yet deleted, and a record of it missing.
    const stale = `${SVC}/web/stale`;
    await etcdctlPut(cluster.dnsEtcd.clientUrl, stale, A("10.0.0.99"));
    const registryKey = "/kube2sky/owners/service/default/web";
    const owned = JSON.parse((await etcdctlGet(cluster.dnsEtcd.clientUrl, registryKey))[registryKey] ?? "[]") as string[];
    await etcdctlPut(cluster.dnsEtcd.clientUrl, registryKey, JSON.stringify([...owned, stale].sort()));
    await etcdctlDelete(cluster.dnsEtcd.clientUrl, `${SVC}/web/${idOf("10.0.0.20")}`);
    await a.stop();
    await waitForEtcd(cluster.dnsEtcd.clientUrl, `${SVC}/web/`, (kv) => kv[`${SVC}/web/${idOf("10.0.0.20")}`] === A("10.0.0.20") && !(stale in kv));
    expect(b.role()).toBe("leader");
    expect(await readiness(b)).toBe("ok: leader\n");
    expect(JSON.parse((await etcdctlGet(cluster.dnsEtcd.clientUrl, registryKey))[registryKey] ?? "[]")).toEqual(owned);
    // And it goes on writing what happens next.
    expect((await cluster.request("POST", "/api/v1/namespaces/default/services", service("later", { clusterIP: "10.0.0.21", ports: [{ name: "http", port: 80, protocol: "TCP" }] }))).code).toBe(201);
    await waitForEtcd(cluster.dnsEtcd.clientUrl, `${SVC}/later/`, (kv) => kv[`${SVC}/later/${idOf("10.0.0.21")}`] === A("10.0.0.21"));
  });
});
