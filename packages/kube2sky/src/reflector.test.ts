import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import type { KubernetesObject, V1EndpointSlice } from "@kubernetes/client-node";
import { createLogger } from "@kube-dns/log";
import { Registry } from "prom-client";
import { describe, expect, it } from "vitest";
import { endpointSliceKind, serviceKind } from "./kinds.js";
import { createMetrics, type Metrics } from "./metrics.js";
import { toEndpointGroupFromSlice, toService } from "./objects.js";
import type { ListFn, ListPage } from "./pager.js";
import { type Kind, Reflector, type Watcher } from "./reflector.js";
import { Store } from "./store.js";

setFlagsFromString("--expose-gc");
const gc = runInNewContext("gc") as () => void;

const service = (name: string, ip = "10.0.0.10"): KubernetesObject & Record<string, unknown> => ({
  apiVersion: "v1",
  kind: "Service",
  metadata: { name, namespace: "default", uid: `uid-${name}`, resourceVersion: "7", labels: { app: name }, annotations: { note: "x".repeat(200) } },
  spec: { type: "ClusterIP", clusterIP: ip, clusterIPs: [ip], ports: [{ name: "http", port: 80, protocol: "TCP", targetPort: 8080 }], selector: { app: name } },
  status: { loadBalancer: {} },
});

const slice = (name: string): V1EndpointSlice => ({
  apiVersion: "discovery.k8s.io/v1",
  kind: "EndpointSlice",
  metadata: { name: `${name}-abcde`, namespace: "default", labels: { "kubernetes.io/service-name": name }, uid: `uid-${name}-slice` },
  addressType: "IPv4",
  endpoints: [{ addresses: ["10.244.1.5"], conditions: { ready: true }, targetRef: { kind: "Pod", name: `${name}-0`, namespace: "default" }, nodeName: "node-1" }],
  ports: [{ name: "http", port: 8080, protocol: "TCP" }],
});

/** pages serves objects made on demand (the fake keeps none) in pages, all at resourceVersion rv, and records each call. */
function pages(count: () => number, make: (i: number) => KubernetesObject, rv: () => string, fail?: (token: string | undefined) => unknown): { list: ListFn; calls: Array<[number, string | undefined]> } {
  const calls: Array<[number, string | undefined]> = [];
  const list: ListFn = (limit, token) => {
    calls.push([limit, token]);
    const failure = fail?.(token);
    if (failure !== undefined) return Promise.reject(failure);
    const start = token === undefined ? 0 : Number(token);
    const end = Math.min(count(), start + limit);
    const page: ListPage = {
      metadata: { resourceVersion: rv(), _continue: end < count() ? String(end) : undefined },
      items: Array.from({ length: end - start }, (_, i) => make(start + i)),
    };
    return Promise.resolve(page);
  };
  return { list, calls };
}

interface OpenWatch {
  readonly queryParams: Record<string, unknown>;
  send(phase: string, obj: unknown): void;
  end(err: unknown): void;
}

/** FakeWatcher opens watches the test drives; like the library, aborting a watch ends it. */
class FakeWatcher implements Watcher {
  readonly opened: OpenWatch[] = [];
  private readonly waiters: Array<() => void> = [];

  watch(_path: string, queryParams: Record<string, unknown>, callback: (phase: string, obj: unknown) => void, done: (err: unknown) => void): Promise<AbortController> {
    const controller = new AbortController();
    controller.signal.addEventListener("abort", () => done(new Error("aborted")));
    this.opened.push({ queryParams, send: callback, end: done });
    for (const wake of this.waiters.splice(0)) wake();
    return Promise.resolve(controller);
  }

  close(): void {}

  /** nth resolves with the n-th watch (from 1) once it is open. */
  async nth(n: number): Promise<OpenWatch> {
    while (this.opened.length < n) await new Promise<void>((resolve) => this.waiters.push(resolve));
    return this.opened[n - 1] as OpenWatch;
  }
}

interface Running {
  readonly reflector: Reflector;
  readonly watcher: FakeWatcher;
  readonly metrics: Metrics;
  readonly listed: Array<string | undefined>;
  readonly changed: string[];
}

function run(kind: Kind): Running {
  const watcher = new FakeWatcher();
  const metrics = createMetrics(new Registry());
  const listed: Array<string | undefined> = [];
  const changed: string[] = [];
  const reflector = new Reflector(kind, {
    watcher,
    metrics,
    log: createLogger("kube2sky", "silent"),
    onChange: (units) => changed.push(...units),
    onListed: (name) => listed.push(name),
  });
  reflector.start();
  return { reflector, watcher, metrics, listed, changed };
}

const counter = async (metric: Metrics["watchErrorsTotal"]): Promise<number> => (await metric.get()).values.reduce((n, v) => n + v.value, 0);

describe("Reflector", () => {
  it("lists in pages of 500 following continue, then watches from the list's resourceVersion with bookmarks", async () => {
    const store = new Store();
    const source = pages(() => 1201, (i) => service(`svc-${i}`), () => "100");
    const r = run(serviceKind(store, source.list));
    const watch = await r.watcher.nth(1);
    expect(source.calls).toEqual([[500, undefined], [500, "500"], [500, "1000"]]);
    expect(store.serviceKeys()).toHaveLength(1201);
    expect(watch.queryParams).toEqual({ resourceVersion: "100", allowWatchBookmarks: true });
    expect(r.listed).toEqual(["service"]);
    await r.reflector.stop();
  });

  it("keeps only the slim form: no API object it was given, listed or watched, stays reachable", async () => {
    const refs: Array<WeakRef<object>> = [];
    const tracked = <T extends object>(obj: T): T => {
      refs.push(new WeakRef(obj));
      return obj;
    };
    const store = new Store();
    const services = run(serviceKind(store, pages(() => 600, (i) => tracked(service(`svc-${i}`)), () => "100").list));
    const slices = run(endpointSliceKind(store, pages(() => 600, (i) => tracked(slice(`svc-${i}`)), () => "100").list));
    const [serviceWatch, sliceWatch] = await Promise.all([services.watcher.nth(1), slices.watcher.nth(1)]);
    serviceWatch.send("ADDED", tracked({ ...service("watched", "10.0.0.99"), metadata: { name: "watched", namespace: "default", resourceVersion: "101" } }));
    sliceWatch.send("MODIFIED", tracked({ ...slice("svc-1"), metadata: { ...slice("svc-1").metadata, resourceVersion: "102" } }));
    // A WeakRef's target lives at least until the current job ends; collect after that.
    await new Promise((resolve) => setImmediate(resolve));
    gc();
    expect(refs).toHaveLength(1202);
    expect(refs.filter((ref) => ref.deref() !== undefined)).toHaveLength(0);
    expect(store.service("default", "svc-7")).toStrictEqual(toService(service("svc-7")));
    expect(store.service("default", "watched")).toStrictEqual(toService(service("watched", "10.0.0.99")));
    expect(store.groups("default", "svc-7")).toStrictEqual(toEndpointGroupFromSlice(slice("svc-7")));
    expect(Object.keys(store.service("default", "svc-7") ?? {}).sort()).toEqual(["clusterIPs", "externalName", "name", "namespace", "ports", "publishNotReadyAddresses", "type"]);
    await Promise.all([services.reflector.stop(), slices.reflector.stop()]);
  });

  it("lists again after 410 Expired on the watch, and removes what the store holds but the new list lacks", async () => {
    const store = new Store();
    let count = 3;
    let rv = "100";
    const source = pages(() => count, (i) => service(`svc-${i}`), () => rv);
    const r = run(serviceKind(store, source.list));
    const first = await r.watcher.nth(1);
    // svc-2 is deleted while the watch is away and its history compacted.
    count = 2;
    rv = "200";
    first.send("ERROR", { kind: "Status", apiVersion: "v1", status: "Failure", reason: "Expired", code: 410, message: "too old resource version" });
    const second = await r.watcher.nth(2);
    expect(second.queryParams["resourceVersion"]).toBe("200");
    expect(store.serviceKeys().sort()).toEqual(["default/svc-0", "default/svc-1"]);
    expect(r.listed).toEqual(["service", "service"]);
    expect(await counter(r.metrics.watchErrorsTotal)).toBe(0); // a compacted history is not a failure
    await r.reflector.stop();
  });

  it("lists again from the first page when a continue token has expired (410)", async () => {
    const store = new Store();
    let expireOnce = true;
    const expired = { code: 410, body: { kind: "Status", reason: "Expired", code: 410 } };
    const source = pages(() => 700, (i) => service(`svc-${i}`), () => "100", (token) => {
      if (token === undefined || !expireOnce) return undefined;
      expireOnce = false;
      return expired;
    });
    const r = run(serviceKind(store, source.list));
    await r.watcher.nth(1);
    expect(source.calls).toEqual([[500, undefined], [500, "500"], [500, undefined], [500, "500"]]);
    expect(store.serviceKeys()).toHaveLength(700);
    expect(r.listed).toEqual(["service"]);
    expect(await counter(r.metrics.watchErrorsTotal)).toBe(1);
    await r.reflector.stop();
  });

  it("after a failure resumes the watch from the last event or bookmark without listing, and asks for a reconcile", async () => {
    const store = new Store();
    const source = pages(() => 1, (i) => service(`svc-${i}`), () => "100");
    const r = run(serviceKind(store, source.list));
    const first = await r.watcher.nth(1);
    first.send("ADDED", { ...service("new"), metadata: { name: "new", namespace: "default", resourceVersion: "120" } });
    first.send("DELETED", { ...service("svc-0"), metadata: { name: "svc-0", namespace: "default", resourceVersion: "130" } });
    first.send("BOOKMARK", { kind: "Service", apiVersion: "v1", metadata: { resourceVersion: "150" } });
    first.end(new Error("connection reset"));
    const second = await r.watcher.nth(2);
    await new Promise((resolve) => setImmediate(resolve)); // let the reflector see the watch open
    expect(second.queryParams["resourceVersion"]).toBe("150");
    expect(source.calls).toHaveLength(1);
    expect(store.serviceKeys()).toEqual(["default/new"]);
    expect(r.changed).toEqual(["service/default/new", "service/default/svc-0"]);
    expect(r.listed).toEqual(["service", undefined]);
    expect(await counter(r.metrics.watchErrorsTotal)).toBe(1);
    expect((await r.metrics.eventsTotal.get()).values.map((v) => [v.labels.type, v.value])).toEqual([["add", 1], ["delete", 1]]);
    await r.reflector.stop();
  });

  it("re-opens a watch that ended cleanly from where it was, without a reconcile", async () => {
    const r = run(serviceKind(new Store(), pages(() => 0, (i) => service(`svc-${i}`), () => "100").list));
    const first = await r.watcher.nth(1);
    first.send("BOOKMARK", { kind: "Service", apiVersion: "v1", metadata: { resourceVersion: "140" } });
    first.end(null);
    expect((await r.watcher.nth(2)).queryParams["resourceVersion"]).toBe("140");
    expect(r.listed).toEqual(["service"]);
    await r.reflector.stop();
  });
});
