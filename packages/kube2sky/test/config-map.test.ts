import { Etcd3 } from "etcd3";
import { execFile } from "node:child_process";
import { setTimeout as sleep } from "node:timers/promises";
import { promisify } from "node:util";
import { createLogger } from "@kube-dns/log";
import { Registry } from "prom-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CONFIG_KEY, writeConfig } from "../src/config-key.js";
import { ConfigMirror } from "../src/config-mirror.js";
import { createMetrics } from "../src/metrics.js";
import { NotLeaderError } from "../src/fence.js";
import type { Kube2sky } from "../src/start.js";
import { type Cluster, service, startCluster, startKube2skyOn, waitForEtcd } from "./cluster.js";
import { etcdctlDelete, etcdctlGet, etcdctlPut } from "./etcdctl.js";
import type { LogSink } from "./logsink.js";

const CM_PATH = "/api/v1/namespaces/kube-system/configmaps";
const OPERATOR = '{"zones":["example.org."]}';

let cluster: Cluster;
let kube2sky: Kube2sky;
let logs: LogSink;

async function startK2s(): Promise<Kube2sky> {
  const started = await startKube2skyOn(cluster, { pods: false });
  logs = started.logs;
  return started.kube2sky;
}

const dns = () => cluster.dnsEtcd.clientUrl;
const configValue = async (): Promise<unknown> => {
  const value = (await etcdctlGet(dns(), CONFIG_KEY))[CONFIG_KEY];
  return value === undefined ? undefined : (JSON.parse(value) as unknown);
};
const waitForConfig = (expected: unknown) => expect.poll(configValue, { timeout: 20_000, interval: 100 }).toEqual(expected);
const kubeDns = (data: Record<string, string>) => ({ apiVersion: "v1", kind: "ConfigMap", metadata: { name: "kube-dns", namespace: "kube-system" }, data });
const counter = async (metric: string): Promise<number> => (await kube2sky.registry.getSingleMetric(metric)?.get())?.values[0]?.value ?? 0;

beforeAll(async () => {
  cluster = await startCluster();
  await etcdctlPut(dns(), CONFIG_KEY, OPERATOR);
  kube2sky = await startK2s();
  await kube2sky.ready;
});

afterAll(async () => {
  await kube2sky?.stop();
  await cluster?.stop();
});

describe("kube2sky mirrors the kube-dns ConfigMap to /skydns/config", () => {
  it("leaves an operator's configuration alone while there is no ConfigMap", async () => {
    await expect.poll(() => counter("kubedns_kube2sky_lists_total"), { timeout: 20_000 }).toBeGreaterThan(0);
    expect(await configValue()).toEqual(JSON.parse(OPERATOR));
  });

  it("writes a created ConfigMap's upstreams and stub domains, normalized, beside the operator's fields", async () => {
    const created = await cluster.request("POST", CM_PATH, kubeDns({ upstreamNameservers: '["192.0.2.1", "192.0.2.2:5353"]', stubDomains: '{"Acme.Local": ["10.9.9.9", "[2001:db8::53]"]}' }));
    expect(created.code).toBe(201);
    await waitForConfig({ zones: ["example.org."], nameservers: ["192.0.2.1:53", "192.0.2.2:5353"], stub_domains: { "acme.local.": ["10.9.9.9:53", "[2001:db8::53]:53"] } });
    expect(await counter("kubedns_kube2sky_config_applied_total")).toBeGreaterThan(0);
  });

  it.each([
    ["bad JSON", { upstreamNameservers: '["192.0.2.1"' }, /upstreamNameservers: not JSON/],
    ["a stub domain inside the cluster domain", { stubDomains: '{"svc.cluster.local": ["10.0.0.1"]}' }, /cluster domain/],
  ])("refuses %s as a whole, logs and counts it, and keeps the last good configuration", async (_title, data, reason) => {
    const before = await configValue();
    const refusedBefore = await counter("kubedns_kube2sky_config_refused_total");
    const refused = logs.next(/refused ConfigMap kube-system\/kube-dns/);
    expect((await cluster.request("PUT", `${CM_PATH}/kube-dns`, kubeDns({ upstreamNameservers: '["192.0.2.7"]', ...data }))).code).toBe(200);
    const line = await refused;
    expect(line).toMatchObject({ configMap: "kube-system/kube-dns", reason: expect.stringMatching(reason) as unknown });
    expect(await counter("kubedns_kube2sky_config_refused_total")).toBe(refusedBefore + 1);
    expect(await configValue()).toEqual(before);
  });

  it("applies a good version after refused ones, and a full sync (a restart) keeps it", async () => {
    const patch = { data: { upstreamNameservers: '["192.0.2.3"]', stubDomains: '{"acme.local": ["10.9.9.10:1053"]}' } };
    expect((await cluster.request("PATCH", `${CM_PATH}/kube-dns`, patch, "application/merge-patch+json")).code).toBe(200);
    const expected = { zones: ["example.org."], nameservers: ["192.0.2.3:53"], stub_domains: { "acme.local.": ["10.9.9.10:1053"] } };
    await waitForConfig(expected);
    // Records keep flowing, and the full sync of a new term does not take the key for a stale record.
    expect((await cluster.request("POST", "/api/v1/namespaces/default/services", service("web", { clusterIP: "10.0.0.20", ports: [{ port: 80, protocol: "TCP" }] }))).code).toBe(201);
    await waitForEtcd(dns(), "/skydns/local/cluster/svc/default/web/", (kv) => Object.keys(kv).length > 0);
    await kube2sky.stop();
    kube2sky = await startK2s();
    await kube2sky.ready;
    expect(await configValue()).toEqual(expected);
  });

  it("rewrites its fields when an operator removes them (at the start of a term)", async () => {
    await etcdctlPut(dns(), CONFIG_KEY, '{"zones":["example.org."],"ttl":30}');
    await kube2sky.stop();
    kube2sky = await startK2s();
    await waitForConfig({ zones: ["example.org."], ttl: 30, nameservers: ["192.0.2.3:53"], stub_domains: { "acme.local.": ["10.9.9.10:1053"] } });
  });

  it("takes a kubectl edit of the ConfigMap to etcd", async () => {
    const env = { ...process.env, KUBECONFIG: cluster.api.kubeconfigPath, KUBE_EDITOR: "sed -i s/10.9.9.10:1053/10.9.9.11/" };
    const { stdout } = await promisify(execFile)("kubectl", ["edit", "configmap", "kube-dns", "-n", "kube-system"], { env, timeout: 20_000 });
    expect(stdout).toBe("configmap/kube-dns edited\n");
    await waitForConfig({ zones: ["example.org."], ttl: 30, nameservers: ["192.0.2.3:53"], stub_domains: { "acme.local.": ["10.9.9.11:53"] } });
  });

  it("returns to the flags' defaults when the ConfigMap is deleted, and deletes the key when nothing else remains", async () => {
    expect((await cluster.request("DELETE", `${CM_PATH}/kube-dns`)).code).toBe(200);
    await waitForConfig({ zones: ["example.org."], ttl: 30 });
    await etcdctlDelete(dns(), CONFIG_KEY);
    expect((await cluster.request("POST", CM_PATH, kubeDns({ upstreamNameservers: '["192.0.2.4"]' }))).code).toBe(201);
    await waitForConfig({ nameservers: ["192.0.2.4:53"] });
    expect((await cluster.request("DELETE", `${CM_PATH}/kube-dns`)).code).toBe(200);
    await waitForConfig(undefined);
  });
});

describe("ConfigMirror", () => {
  it("writes only while it leads, and stops at a fence that no longer holds", async () => {
    const client = new Etcd3({ hosts: dns() });
    const metrics = createMetrics(new Registry());
    let fenced = 0;
    const mirror = new ConfigMirror({ client, timeoutMs: 2000, metrics, log: createLogger("kube2sky", "silent"), onFenced: () => fenced++ });
    mirror.start();
    try {
      await client.put("/test/mirror-fence").value("me");
      const created = Number((await client.kv.range({ key: Buffer.from("/test/mirror-fence") })).kvs[0]?.create_revision);
      mirror.set({ nameservers: ["192.0.2.6:53"] });
      await sleep(300);
      expect(await configValue()).toBeUndefined();
      mirror.lead({ key: "/test/mirror-fence", createRevision: created });
      await waitForConfig({ nameservers: ["192.0.2.6:53"] });
      mirror.follow();
      mirror.set({ nameservers: ["192.0.2.7:53"] });
      await sleep(300);
      expect(await configValue()).toEqual({ nameservers: ["192.0.2.6:53"] });
      mirror.lead({ key: "/test/mirror-fence", createRevision: created + 1000 });
      await expect.poll(() => fenced, { timeout: 10_000 }).toBe(1);
      expect(await configValue()).toEqual({ nameservers: ["192.0.2.6:53"] });
      expect((await metrics.fencedTxnsTotal.get()).values[0]?.value).toBe(1);
    } finally {
      await mirror.stop();
      await client.delete().key(CONFIG_KEY);
      await client.delete().key("/test/mirror-fence");
      client.close();
    }
  });
});

describe("writeConfig", () => {
  it("writes nothing under a fence that no longer holds", async () => {
    const client = new Etcd3({ hosts: dns() });
    try {
      await client.put("/test/fence").value("me");
      const created = Number((await client.kv.range({ key: Buffer.from("/test/fence") })).kvs[0]?.create_revision);
      const stale = { key: "/test/fence", createRevision: created - 1 };
      await expect(writeConfig(client, { nameservers: ["192.0.2.5:53"] }, stale, 2000)).rejects.toBeInstanceOf(NotLeaderError);
      expect(await configValue()).toBeUndefined();
      expect(await writeConfig(client, { nameservers: ["192.0.2.5:53"] }, { ...stale, createRevision: created }, 2000)).toBe(true);
      expect(await configValue()).toEqual({ nameservers: ["192.0.2.5:53"] });
      expect(await writeConfig(client, { nameservers: ["192.0.2.5:53"] }, { ...stale, createRevision: created }, 2000)).toBe(false);
    } finally {
      await client.delete().key(CONFIG_KEY);
      await client.delete().key("/test/fence");
      client.close();
    }
  });
});
