import { type EtcdServer, startEtcd } from "@kube-dns/etcd-process";
import { Registry } from "prom-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Backoff } from "../src/backoff.js";
import { connectEtcd, type RecordStore } from "../src/etcd.js";
import { createLogger, type Logger } from "@kube-dns/log";
import { createMetrics, type Metrics } from "../src/metrics.js";
import type { Service } from "../src/objects.js";
import { Reconciler } from "../src/reconcile.js";
import { Store } from "../src/store.js";
import type { Fence } from "../src/fence.js";
import { fenceOn } from "./fence.js";
import { parseProgrammed } from "@kube-dns/msg";
import { A, etcdctlGet, etcdctlPut, NAME, SCHEMA } from "./etcdctl.js";

let etcd: EtcdServer;
let fence: Fence;
beforeAll(async () => {
  etcd = await startEtcd();
  fence = await fenceOn(etcd.clientUrl);
});
afterAll(async () => {
  await etcd?.stop();
});

const svc = (name: string, ip: string, ports: Service["ports"] = []): Service => ({
  namespace: "default",
  name,
  type: "ClusterIP",
  clusterIPs: [ip],
  externalName: "",
  ports,
  publishNotReadyAddresses: false,
});

interface Running {
  reconciler: Reconciler;
  store: Store;
  client: RecordStore;
  metrics: Metrics;
  stop(): Promise<void>;
}

function run(store: Store, log: Logger = createLogger("kube2sky", "silent"), backoff = new Backoff(50, 500)): Running {
  const client = connectEtcd({ server: etcd.clientUrl, mutationTimeoutMs: 2000 });
  const metrics = createMetrics(new Registry());
  const reconciler = new Reconciler({ store, etcd: client, zone: "cluster.local.", prefix: "/skydns", metrics, log, backoff });
  reconciler.start();
  reconciler.lead(fence);
  return {
    reconciler,
    store,
    client,
    metrics,
    async stop() {
      await reconciler.stop();
      client.close();
    },
  };
}

async function syncAll(r: Running): Promise<void> {
  r.reconciler.requestFullSync();
  await r.reconciler.ready;
  await r.reconciler.whenIdle();
}

const svcKeys = (all: Record<string, string>) => Object.fromEntries(Object.entries(all).filter(([k]) => k.includes("/svc/")));

describe("the reconciler against a real etcd", () => {
  it("writes a service, rewrites only what an update changes, deletes on delete, and leaves an operator's key alone", async () => {
    await etcdctlPut(etcd.clientUrl, "/skydns/local/cluster/svc/default/kubernetes/operator1", A("192.0.2.99"));
    const store = new Store();
    store.setService(svc("kubernetes", "10.0.0.1", [{ name: "https", protocol: "TCP", port: 443 }]));
    const r = run(store);
    await syncAll(r);
    const first = await etcdctlGet(etcd.clientUrl, "/skydns");
    expect(svcKeys(first)).toEqual({
      "/skydns/local/cluster/svc/default/kubernetes/c88f1059": A("10.0.0.1"),
      "/skydns/local/cluster/svc/default/kubernetes/_tcp/_https/c88f1059": NAME("kubernetes.default.svc.cluster.local.", 443),
      "/skydns/local/cluster/svc/default/kubernetes/operator1": A("192.0.2.99"),
    });
    expect(Object.entries(first).filter(([k]) => k.startsWith("/skydns/local/cluster/dns-version/")).map(([, v]) => v)).toEqual([SCHEMA]);
    expect(Object.values(first)).toContain(NAME("kubernetes.default.svc.cluster.local."));

    // Update the port: only the SRV value changes, so only that key is written.
    const writesBefore = (await r.metrics.etcdWritesTotal.get()).values.reduce((n, v) => n + v.value, 0);
    r.reconciler.markDirty(store.setService(svc("kubernetes", "10.0.0.1", [{ name: "https", protocol: "TCP", port: 6443 }])));
    await r.reconciler.whenIdle();
    const writesAfter = (await r.metrics.etcdWritesTotal.get()).values.reduce((n, v) => n + v.value, 0);
    expect(writesAfter - writesBefore).toBe(1);
    expect((await etcdctlGet(etcd.clientUrl, "/skydns/local/cluster/svc/default/kubernetes/_tcp"))["/skydns/local/cluster/svc/default/kubernetes/_tcp/_https/c88f1059"]).toBe(
      NAME("kubernetes.default.svc.cluster.local.", 6443),
    );

    // Change the cluster IP: the new A, SRV and PTR replace the old ones.
    r.reconciler.markDirty(store.setService(svc("kubernetes", "10.0.0.2", [{ name: "https", protocol: "TCP", port: 6443 }])));
    await r.reconciler.whenIdle();
    const moved = await etcdctlGet(etcd.clientUrl, "/skydns");
    expect(Object.keys(svcKeys(moved)).sort()).toEqual([
      `/skydns/local/cluster/svc/default/kubernetes/_tcp/_https/${idOf(moved, "10.0.0.2")}`,
      `/skydns/local/cluster/svc/default/kubernetes/${idOf(moved, "10.0.0.2")}`,
      "/skydns/local/cluster/svc/default/kubernetes/operator1",
    ].sort());
    expect(Object.keys(moved).filter((k) => k.startsWith("/skydns/arpa/in-addr/10/0/0/"))).toHaveLength(1);

    // Delete: every key of the service goes, the operator's stays, and so does its registry entry's absence.
    r.reconciler.markDirty(store.deleteService("default", "kubernetes"));
    await r.reconciler.whenIdle();
    const after = await etcdctlGet(etcd.clientUrl, "/skydns");
    expect(svcKeys(after)).toEqual({ "/skydns/local/cluster/svc/default/kubernetes/operator1": A("192.0.2.99") });
    expect(Object.keys(after).filter((k) => k.includes("/arpa/"))).toEqual([]);
    expect(Object.keys(await etcdctlGet(etcd.clientUrl, "/kube2sky/owners/service"))).toEqual([]);
    await r.stop();
  });

  it("puts /skydns/programmed in the transaction of an event's records, times it, and writes nothing for an event that changed no record", async () => {
    const store = new Store();
    const r = run(store);
    await syncAll(r);
    const committed = async (): Promise<number> => (await r.metrics.seenToCommittedSeconds.get()).values.find((v) => v.metricName?.endsWith("_count"))?.value ?? 0;
    const change = { kind: "service", type: "add" as const, object: "default/timed", triggerAt: Date.now() - 1500, trigger: "created", seenAt: Date.now() - 20 };
    r.reconciler.markDirty(store.setService(svc("timed", "10.0.3.1")), change);
    await r.reconciler.whenIdle();
    const all = await etcdctlGet(etcd.clientUrl, "/skydns/programmed");
    const programmed = parseProgrammed(all["/skydns/programmed"] ?? "");
    expect(programmed?.changes).toEqual([change]);
    expect(programmed?.sentAt).toBeGreaterThanOrEqual(change.seenAt);
    expect(await committed()).toBe(1);
    expect(Object.values(await etcdctlGet(etcd.clientUrl, "/skydns/local/cluster/svc/default/timed/"))).toEqual([A("10.0.3.1")]);

    const unchanged = { ...change, type: "update" as const, seenAt: Date.now() };
    r.reconciler.markDirty(store.setService(svc("timed", "10.0.3.1")), unchanged);
    await r.reconciler.whenIdle();
    expect(await etcdctlGet(etcd.clientUrl, "/skydns/programmed")).toEqual(all);
    expect(await committed()).toBe(1);
    await r.stop();
  });

  it("cleans a service deleted while it was stopped, and nothing else", async () => {
    const store = new Store();
    store.setService(svc("keep", "10.0.1.1"));
    store.setService(svc("gone", "10.0.1.2"));
    const first = run(store);
    await syncAll(first);
    await first.stop();
    await etcdctlPut(etcd.clientUrl, "/skydns/local/cluster/svc/default/gone/operator2", A("192.0.2.98"));
    expect(Object.keys(await etcdctlGet(etcd.clientUrl, "/skydns/local/cluster/svc/default/gone"))).toHaveLength(2);

    const restarted = new Store();
    restarted.setService(svc("keep", "10.0.1.1"));
    const second = run(restarted);
    await syncAll(second);
    expect(await etcdctlGet(etcd.clientUrl, "/skydns/local/cluster/svc/default/gone")).toEqual({
      "/skydns/local/cluster/svc/default/gone/operator2": A("192.0.2.98"),
    });
    expect(Object.values(await etcdctlGet(etcd.clientUrl, "/skydns/local/cluster/svc/default/keep"))).toEqual([A("10.0.1.1")]);
    await second.stop();
  });

  it("keeps a record shared by two pods on one IP until both are gone (v1.2 bug 6)", async () => {
    const store = new Store();
    const r = run(store);
    await syncAll(r);
    r.reconciler.markDirty(store.setPod({ namespace: "kube-system", name: "a", ips: ["192.0.2.10"] }));
    r.reconciler.markDirty(store.setPod({ namespace: "kube-system", name: "b", ips: ["192.0.2.10"] }));
    r.reconciler.markDirty(store.deletePod("kube-system", "a"));
    await r.reconciler.whenIdle();
    const dir = "/skydns/local/cluster/pod/kube-system/192-0-2-10";
    expect(Object.values(await etcdctlGet(etcd.clientUrl, dir))).toEqual([A("192.0.2.10")]);
    r.reconciler.markDirty(store.deletePod("kube-system", "b"));
    await r.reconciler.whenIdle();
    expect(await etcdctlGet(etcd.clientUrl, dir)).toEqual({});
    await r.stop();
  });

  it("loses no update while etcd is down: the change lands once etcd is back", async () => {
    const store = new Store();
    let failed: () => void = () => {};
    const failure = new Promise<void>((resolve) => (failed = resolve));
    // The reconciler's warning that a write failed is the event to wait for.
    const r = run(store, createLogger("kube2sky", "warn", { write: () => failed() }));
    await syncAll(r);
    await etcd.halt();
    r.reconciler.markDirty(store.setService(svc("during-outage", "10.0.2.1")));
    await failure;
    expect((await r.metrics.etcdErrorsTotal.get()).values.reduce((n, v) => n + v.value, 0)).toBeGreaterThan(0);
    await etcd.start();
    await r.reconciler.whenIdle();
    expect(Object.values(await etcdctlGet(etcd.clientUrl, "/skydns/local/cluster/svc/default/during-outage"))).toEqual([A("10.0.2.1")]);
    await r.stop();
  });

  it("stops at once while it backs off after a failure, even when new work arrived meanwhile", async () => {
    const store = new Store();
    let failed: () => void = () => {};
    const failure = new Promise<void>((resolve) => (failed = resolve));
    // A minute's backoff (no jitter): stop must not wait it out.
    const r = run(store, createLogger("kube2sky", "warn", { write: () => failed() }), new Backoff(60_000, 60_000, () => 1));
    await syncAll(r);
    await etcd.halt();
    try {
      r.reconciler.markDirty(store.setService(svc("backing-off", "10.0.2.2")));
      await failure;
      r.reconciler.markDirty(store.setService(svc("meanwhile", "10.0.2.3")));
      const started = Date.now();
      await r.stop();
      expect(Date.now() - started).toBeLessThan(5_000);
    } finally {
      await etcd.start();
    }
  });

  it("writes a headless service too large for one transaction in several, then shrinks it, with the registry right", async () => {
    const store = new Store();
    const r = run(store);
    await syncAll(r);
    const big = (count: number) =>
      store.setGroups("slice/default/big-1", [
        {
          namespace: "default",
          serviceName: "big",
          source: "slice/default/big-1",
          endpoints: Array.from({ length: count }, (_, i) => ({ addresses: [`10.245.${i >> 8}.${i & 255}`], ready: true, hostname: "" })),
          ports: [{ name: "http", protocol: "TCP", port: 80 }],
        },
      ]);
    store.setService({ ...svc("big", "None"), clusterIPs: ["None"] });
    const txnsBefore = (await r.metrics.etcdTxnsTotal.get()).values[0]?.value ?? 0;
    r.reconciler.markDirty(big(120));
    await r.reconciler.whenIdle();
    expect(((await r.metrics.etcdTxnsTotal.get()).values[0]?.value ?? 0) - txnsBefore).toBe(4); // 360 records (A, SRV, PTR) + 2 registry writes
    expect(Object.keys(await etcdctlGet(etcd.clientUrl, "/skydns/local/cluster/svc/default/big/"))).toHaveLength(240);
    r.reconciler.markDirty(big(10));
    await r.reconciler.whenIdle();
    expect(Object.keys(await etcdctlGet(etcd.clientUrl, "/skydns/local/cluster/svc/default/big/"))).toHaveLength(20);
    const registry = await etcdctlGet(etcd.clientUrl, "/kube2sky/owners/service/default/big");
    expect(JSON.parse(registry["/kube2sky/owners/service/default/big"] ?? "[]")).toHaveLength(30);
    await r.stop();
  });

  it("batches a first sync of 1000 services into transactions of at most 100 operations, and rewrites nothing on restart", async () => {
    const store = new Store();
    for (let i = 0; i < 1000; i++) store.setService({ ...svc(`bulk-${i}`, `10.1.${Math.floor(i / 250)}.${i % 250}`), namespace: "bulk" });
    const r = run(store);
    const started = performance.now();
    await syncAll(r);
    const seconds = (performance.now() - started) / 1000;
    const txns = (await r.metrics.etcdTxnsTotal.get()).values[0]?.value ?? 0;
    // 1000 services x (A + PTR + registry) = 3000 operations.
    expect(txns).toBeGreaterThanOrEqual(30);
    expect(txns).toBeLessThanOrEqual(40);
    console.info(`first sync of 1000 services: ${txns} transactions in ${seconds.toFixed(2)} s`);
    expect(Object.keys(await etcdctlGet(etcd.clientUrl, "/skydns/local/cluster/svc/bulk"))).toHaveLength(1000);
    await r.stop();

    // A restart reads the records and registry back in pages of 1000 keys and finds nothing to write.
    const again = run(store);
    await syncAll(again);
    expect((await again.metrics.etcdTxnsTotal.get()).values[0]?.value ?? 0).toBe(0);
    expect((await again.metrics.recordsManaged.get()).values[0]?.value).toBe(2001); // A and PTR each, and dns-version
    await again.stop();
  });
});

function idOf(all: Record<string, string>, ip: string): string {
  const key = Object.entries(all).find(([k, v]) => v === A(ip) && k.includes("/svc/"))?.[0] ?? "";
  return key.slice(key.lastIndexOf("/") + 1);
}
