import { CoreV1Api, DiscoveryV1Api, KubeConfig, makeInformer, type Informer, type KubernetesObject, type ObjectCache, type V1EndpointSlice, type V1Service } from "@kubernetes/client-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Etcd3 } from "etcd3";
import { startDevApiServer } from "../src/index.js";
import { service, startHarness, type Harness } from "./harness.js";

type Verb = "add" | "update" | "delete";

/** EventLog records an informer's events and lets a test await one. */
class EventLog<T extends KubernetesObject> {
  readonly seen: { verb: Verb; object: T }[] = [];
  private waiters: { verb: Verb; name: string; resolve: (object: T) => void }[] = [];

  constructor(informer: Informer<T>) {
    for (const verb of ["add", "update", "delete"] as const) {
      informer.on(verb, (object: T) => {
        this.seen.push({ verb, object });
        this.waiters = this.waiters.filter((w) => {
          if (w.verb !== verb || w.name !== object.metadata?.name) return true;
          w.resolve(object);
          return false;
        });
      });
    }
  }

  /** next resolves with the first event of verb on name, past or future; it fails after 10 s. */
  next(verb: Verb, name: string, after = 0): Promise<T> {
    const past = this.seen.slice(after).find((e) => e.verb === verb && e.object.metadata?.name === name);
    if (past !== undefined) return Promise.resolve(past.object);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no ${verb} of ${name} within 10 s`)), 10_000);
      this.waiters.push({ verb, name, resolve: (o) => (clearTimeout(timer), resolve(o)) });
    });
  }
}

describe("client-node informers against the dev API server", () => {
  let harness: Harness;
  let core: CoreV1Api;
  let discovery: DiscoveryV1Api;
  let services: Informer<V1Service> & ObjectCache<V1Service>;
  let slices: Informer<V1EndpointSlice>;
  let serviceLog: EventLog<V1Service>;
  let sliceLog: EventLog<V1EndpointSlice>;

  beforeAll(async () => {
    harness = await startHarness();
    const kc = new KubeConfig();
    kc.loadFromFile(harness.server.kubeconfigPath);
    core = kc.makeApiClient(CoreV1Api);
    discovery = kc.makeApiClient(DiscoveryV1Api);
    services = makeInformer(kc, "/api/v1/namespaces/default/services", () => core.listNamespacedService({ namespace: "default" }));
    slices = makeInformer(kc, "/apis/discovery.k8s.io/v1/endpointslices", () => discovery.listEndpointSliceForAllNamespaces());
    serviceLog = new EventLog(services);
    sliceLog = new EventLog(slices);
    // An informer stops on a connection error; restarting it is the caller's job, as with client-go's backoff.
    for (const informer of [services, slices]) informer.on("error", () => setTimeout(() => void informer.start().catch(() => undefined), 100));
    await services.start();
    await slices.start();
  });

  afterAll(async () => {
    await services?.stop();
    await slices?.stop();
    await harness?.stop();
  });

  it("lists the kubernetes service on 10.0.0.1:443", async () => {
    const kubernetes = await serviceLog.next("add", "kubernetes");
    expect(kubernetes.spec?.clusterIP).toBe("10.0.0.1");
    expect(kubernetes.spec?.ports).toEqual([{ name: "https", port: 443, protocol: "TCP", targetPort: 6443 }]);
  });

  it("sees a service added, updated and deleted", async () => {
    const created = await core.createNamespacedService({ namespace: "default", body: service("my-nginx", { labels: { app: "nginx" } }) as V1Service });
    const added = await serviceLog.next("add", "my-nginx");
    expect(added.metadata?.uid).toBe(created.metadata?.uid);
    expect(added.spec?.clusterIP).toMatch(/^10\.0\.([1-9]\d*)\.\d+$/); // the default /16, above its static band

    const changed = { ...created, metadata: { ...created.metadata, labels: { app: "nginx", tier: "web" } } };
    await core.replaceNamespacedService({ name: "my-nginx", namespace: "default", body: changed });
    const updated = await serviceLog.next("update", "my-nginx");
    expect(updated.metadata?.labels).toEqual({ app: "nginx", tier: "web" });
    expect(Number(updated.metadata?.resourceVersion)).toBeGreaterThan(Number(created.metadata?.resourceVersion));

    await core.deleteNamespacedService({ name: "my-nginx", namespace: "default" });
    const deleted = await serviceLog.next("delete", "my-nginx");
    expect(deleted.metadata?.uid).toBe(created.metadata?.uid);
    expect(services.list("default").map((s) => s.metadata?.name)).toEqual(["kubernetes"]);
  });

  it("sees endpoint slices added, updated and deleted", async () => {
    const body: V1EndpointSlice = {
      metadata: { name: "manual-abcde", labels: { "kubernetes.io/service-name": "manual" } },
      addressType: "IPv4",
      endpoints: [{ addresses: ["10.244.0.5"], conditions: { ready: true } }],
      ports: [{ name: "http", port: 80, protocol: "TCP" }],
    };
    const created = await discovery.createNamespacedEndpointSlice({ namespace: "default", body });
    expect(created.metadata?.generation).toBe(1);
    await sliceLog.next("add", "manual-abcde");
    await discovery.replaceNamespacedEndpointSlice({
      name: "manual-abcde",
      namespace: "default",
      body: { ...created, endpoints: [{ addresses: ["10.244.0.6"], conditions: { ready: false } }] },
    });
    const updated = await sliceLog.next("update", "manual-abcde");
    expect(updated.endpoints?.[0]?.addresses).toEqual(["10.244.0.6"]);
    expect(updated.metadata?.generation).toBe(2);
    await discovery.deleteNamespacedEndpointSlice({ name: "manual-abcde", namespace: "default" });
    await sliceLog.next("delete", "manual-abcde");
  });

  it("keeps working across a server restart: changes made while it is down and after arrive", async () => {
    await core.createNamespacedService({ namespace: "default", body: service("before-restart") as V1Service });
    await serviceLog.next("add", "before-restart");
    const mark = serviceLog.seen.length;
    await harness.restart();
    // The new server has the same etcd, so the informer resumes from its resourceVersion.
    await core.deleteNamespacedService({ name: "before-restart", namespace: "default" });
    await core.createNamespacedService({ namespace: "default", body: service("after-restart") as V1Service });
    await serviceLog.next("delete", "before-restart", mark);
    await serviceLog.next("add", "after-restart", mark);
    expect(services.list("default").map((s) => s.metadata?.name).sort()).toEqual(["after-restart", "kubernetes"]);
  });

  it("relists after a 410 when the history it would resume from was compacted while the server was down", async () => {
    await core.createNamespacedService({ namespace: "default", body: service("doomed") as V1Service });
    await serviceLog.next("add", "doomed");
    const mark = serviceLog.seen.length;
    const port = Number(new URL(harness.server.url).port);
    await harness.server.stop();
    // Behind the server's back: delete, add, and compact the history the informer would watch from.
    const etcd = new Etcd3({ hosts: harness.etcd.clientUrl });
    try {
      await etcd.delete().key("/registry/services/default/doomed");
      // One more revision, so that compacting at the latest drops the one the informer would resume from.
      await etcd.put("/registry/test-marker").value("x");
      const { header } = await etcd.kv.range({ key: Buffer.from("/registry/"), limit: 1 });
      await etcd.kv.compact({ revision: header.revision, physical: true });
    } finally {
      etcd.close();
    }
    harness.server = await startDevApiServer({ etcdUrl: harness.etcd.clientUrl, port, logLevel: "silent" });
    // The resumed watch gets ERROR 410 Expired; the informer lists again and reports the deletion.
    await serviceLog.next("delete", "doomed", mark);
    expect(services.list("default").map((s) => s.metadata?.name).sort()).toEqual(["after-restart", "kubernetes"]);
  });
});
