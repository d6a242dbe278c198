import { createLogger } from "@kube-dns/log";
import { Etcd3 } from "etcd3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Kube2sky, type Kube2skyOptions, startKube2sky } from "../src/start.js";
import { type ApiProxy, expiredStatus, startApiProxy } from "./api-proxy.js";
import { bulkClusterIP, bulkServiceName, writeServices } from "./bulk.js";
import { type Cluster, startCluster } from "./cluster.js";
import { A, etcdctlGet } from "./etcdctl.js";
import { logSink } from "./logsink.js";

const COUNT = 1200;
const LIST_PATHS = ["/api/v1/services", "/apis/discovery.k8s.io/v1/endpointslices", "/api/v1/pods"];

let cluster: Cluster;
let proxy: ApiProxy;
// Set by a test: the next request for a continued page of services is answered 410 Expired.
let expireNextContinue = false;
// Set by a test: every list of EndpointSlices fails.
let failSlices = false;

beforeAll(async () => {
  cluster = await startCluster();
  // 1,200 services and their EndpointSlices, written straight into the API server's etcd: more than two pages each.
  await writeServices(cluster.apiEtcd.clientUrl, COUNT, { namespace: "paged", slices: true });
  proxy = await startApiProxy(cluster.api.url, (url) => {
    if (failSlices && url.pathname === "/apis/discovery.k8s.io/v1/endpointslices") return { status: 500, body: { kind: "Status", code: 500, reason: "InternalError" } };
    if (!expireNextContinue || url.pathname !== "/api/v1/services" || !url.searchParams.has("continue")) return undefined;
    expireNextContinue = false;
    return expiredStatus();
  });
});

afterAll(async () => {
  await proxy?.stop();
  await cluster?.stop();
});

function startK2s(options: Kube2skyOptions = {}): Promise<Kube2sky> {
  return startKube2sky({
    kubeMasterUrl: proxy.url,
    etcdServer: cluster.dnsEtcd.clientUrl,
    healthzPort: 0,
    healthzHost: "127.0.0.1",
    pods: true,
    logger: createLogger("kube2sky", "silent"),
    ...options,
  });
}

async function runKube2sky(): Promise<Kube2sky> {
  const kube2sky = await startK2s();
  await kube2sky.ready;
  return kube2sky;
}

// The list requests (not watches) the proxy saw for one collection since index `from`.
const listsOf = (path: string, from = 0): URL[] =>
  proxy.requests
    .slice(from)
    .map((r) => new URL(r, "http://proxy"))
    .filter((url) => url.pathname === path && url.searchParams.get("watch") !== "true");

async function ownedServices(): Promise<number> {
  const client = new Etcd3({ hosts: cluster.dnsEtcd.clientUrl });
  try {
    return await client.getAll().prefix("/kube2sky/owners/service/paged/").count();
  } finally {
    client.close();
  }
}

async function counterOf(kube2sky: Kube2sky, metric: string, kind: string): Promise<number> {
  const values = (await kube2sky.registry.getSingleMetric(metric)?.get())?.values ?? [];
  return values.find((v) => v.labels.kind === kind)?.value ?? 0;
}

describe("kube2sky's lists", () => {
  it("asks for 500 objects at a time, follows continue to the end, and writes records for all 1,200 services", async () => {
    const kube2sky = await runKube2sky();
    try {
      for (const path of LIST_PATHS) {
        const lists = listsOf(path);
        expect(lists.length, path).toBeGreaterThan(0);
        expect(lists.every((url) => url.searchParams.get("limit") === "500"), path).toBe(true);
      }
      // 1,201 services (with `kubernetes`) and 1,200 slices: three pages each, the last two continued.
      for (const path of ["/api/v1/services", "/apis/discovery.k8s.io/v1/endpointslices"]) {
        expect(listsOf(path).map((url) => url.searchParams.has("continue")), path).toEqual([false, true, true]);
      }
      expect(await ownedServices()).toBe(COUNT);
      const last = `/skydns/local/cluster/svc/paged/${bulkServiceName(COUNT - 1)}/`;
      expect(Object.values(await etcdctlGet(cluster.dnsEtcd.clientUrl, last))).toContain(A(bulkClusterIP(COUNT - 1)));
      // The watch starts from the list's resourceVersion, with bookmarks.
      const watch = proxy.requests.map((r) => new URL(r, "http://proxy")).find((url) => url.pathname === "/api/v1/services" && url.searchParams.get("watch") === "true");
      expect(watch?.searchParams.get("allowWatchBookmarks")).toBe("true");
      expect(Number(watch?.searchParams.get("resourceVersion"))).toBeGreaterThan(0);
    } finally {
      await kube2sky.stop();
    }
  });

  it("lists again from the first page when a continue token expires (410) mid-list, and still writes every record", async () => {
    // Start from an empty pod etcd, so every record must come from the list that finally completes.
    const client = new Etcd3({ hosts: cluster.dnsEtcd.clientUrl });
    await Promise.all([client.delete().prefix("/skydns/"), client.delete().prefix("/kube2sky/")]);
    client.close();
    const from = proxy.requests.length;
    expireNextContinue = true;
    const kube2sky = await runKube2sky();
    try {
      const continued = listsOf("/api/v1/services", from).map((url) => url.searchParams.has("continue"));
      expect(continued).toEqual([false, true, false, true, true]); // the second page expired: start over
      expect(await counterOf(kube2sky, "kubedns_kube2sky_watch_errors_total", "service")).toBe(1);
      expect(await counterOf(kube2sky, "kubedns_kube2sky_lists_total", "service")).toBe(1);
      expect(await ownedServices()).toBe(COUNT);
    } finally {
      await kube2sky.stop();
    }
  });

  it("is not ready, however short its resync period, until every kind has been listed", async () => {
    failSlices = true;
    const logs = logSink();
    const kube2sky = await startK2s({ resyncPeriodMs: 100, logger: createLogger("kube2sky", "debug", logs.stream) });
    try {
      // Three failed lists of slices take at least 350 ms of backoff: several resync periods.
      for (let i = 0; i < 3; i++) await logs.next(/list\/watch failed/);
      expect((await fetch(`http://127.0.0.1:${kube2sky.healthzPort}/readiness`)).status).toBe(503);
      failSlices = false;
      await kube2sky.ready;
      expect((await fetch(`http://127.0.0.1:${kube2sky.healthzPort}/readiness`)).status).toBe(200);
    } finally {
      failSlices = false;
      await kube2sky.stop();
    }
  });
});
