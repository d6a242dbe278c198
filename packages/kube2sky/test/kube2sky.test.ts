import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { addressRecord, encodeRecord, nameRecord, recordIdFor } from "@kube-dns/msg";
import type { DevApiServer } from "@kube-dns/dev-apiserver";
import { Etcd3 } from "etcd3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Kube2sky } from "../src/start.js";
import { type Cluster, endpointSlice, service, startCluster, startKube2skyOn, waitForEtcd } from "./cluster.js";
import { A, etcdctlGet, etcdctlPut, NAME, SCHEMA } from "./etcdctl.js";
import type { LogSink } from "./logsink.js";

const SVC = "/skydns/local/cluster/svc/default";
const idOf = (ip: string) => recordIdFor(encodeRecord(addressRecord(ip)));
const ptrId = (target: string) => recordIdFor(encodeRecord(nameRecord(target)));
const OPERATOR_KEY = `${SVC}/frontend/operator`;

let cluster: Cluster;
let kube2sky: Kube2sky;
let logs: LogSink;

async function startK2s(): Promise<Kube2sky> {
  const started = await startKube2skyOn(cluster, { pods: true });
  logs = started.logs;
  return started.kube2sky;
}

const dns = () => cluster.dnsEtcd.clientUrl;
const under = (prefix: string) => (kv: Record<string, string>) => Object.keys(kv).some((k) => k.startsWith(prefix));
const noneUnder = (prefix: string) => (kv: Record<string, string>) => !Object.keys(kv).some((k) => k.startsWith(prefix));

beforeAll(async () => {
  cluster = await startCluster();
  await etcdctlPut(cluster.dnsEtcd.clientUrl, OPERATOR_KEY, A("192.0.2.99"));
  kube2sky = await startK2s();
  await kube2sky.ready;
});

afterAll(async () => {
  await kube2sky?.stop();
  await cluster?.stop();
});

describe("kube2sky against the dev API server and a real etcd", () => {
  it("is ready after the first sync, with the kubernetes service, its PTR and the schema version", async () => {
    const response = await fetch(`http://127.0.0.1:${kube2sky.healthzPort}/readiness`);
    expect(response.status).toBe(200);
    const all = await etcdctlGet(dns(), "/skydns");
    expect(all[`${SVC}/kubernetes/c88f1059`]).toBe(A("10.0.0.1"));
    expect(all[`${SVC}/kubernetes/_tcp/_https/c88f1059`]).toBe(NAME("kubernetes.default.svc.cluster.local.", 443));
    expect(all[`/skydns/arpa/in-addr/10/0/0/1/${ptrId("kubernetes.default.svc.cluster.local.")}`]).toBe(NAME("kubernetes.default.svc.cluster.local."));
    expect(all[`/skydns/local/cluster/dns-version/${recordIdFor(SCHEMA)}`]).toBe(SCHEMA);
  });

  it("writes A, SRV for a named port, and PTR for a ClusterIP service; an operator's key stays", async () => {
    expect((await create("services", service("frontend", { clusterIP: "10.0.0.10", ports: [{ name: "http", port: 80, protocol: "TCP" }] }))).code).toBe(201);
    await waitForEtcd(dns(), `${SVC}/frontend/_tcp`, under(`${SVC}/frontend/_tcp/_http/`));
    expect(await etcdctlGet(dns(), `${SVC}/frontend/`)).toEqual({
      [`${SVC}/frontend/21172049`]: A("10.0.0.10"),
      [`${SVC}/frontend/_tcp/_http/21172049`]: NAME("frontend.default.svc.cluster.local.", 80),
      [OPERATOR_KEY]: A("192.0.2.99"),
    });
    expect(await etcdctlGet(dns(), "/skydns/arpa/in-addr/10/0/0/10/")).toEqual({
      [`/skydns/arpa/in-addr/10/0/0/10/${ptrId("frontend.default.svc.cluster.local.")}`]: NAME("frontend.default.svc.cluster.local."),
    });
  });

  it("writes no SRV record for an unnamed port", async () => {
    expect((await create("services", service("plain", { clusterIP: "10.0.0.12", ports: [{ port: 81, protocol: "UDP" }] }))).code).toBe(201);
    await waitForEtcd(dns(), `${SVC}/plain/`, under(`${SVC}/plain/`));
    expect(await etcdctlGet(dns(), `${SVC}/plain/`)).toEqual({ [`${SVC}/plain/${idOf("10.0.0.12")}`]: A("10.0.0.12") });
  });

  it("rewrites the SRV record when a port changes, and moves every record when the cluster IP changes", async () => {
    const patch = { spec: { ports: [{ name: "http", port: 8080, protocol: "TCP" }] } };
    const patched = await cluster.request("PATCH", "/api/v1/namespaces/default/services/frontend", patch, "application/merge-patch+json");
    expect(patched.code).toBe(200);
    const srvKey = `${SVC}/frontend/_tcp/_http/21172049`;
    await waitForEtcd(dns(), srvKey, (kv) => kv[srvKey] === NAME("frontend.default.svc.cluster.local.", 8080));

    // A cluster IP is immutable in Kubernetes: the service is deleted and created again with another.
    await cluster.request("DELETE", "/api/v1/namespaces/default/services/frontend");
    expect((await create("services", service("frontend", { clusterIP: "10.0.0.11", ports: [{ name: "http", port: 8080, protocol: "TCP" }] }))).code).toBe(201);
    const moved = await waitForEtcd(dns(), `${SVC}/frontend/`, (kv) => `${SVC}/frontend/${idOf("10.0.0.11")}` in kv && !(`${SVC}/frontend/21172049` in kv));
    expect(moved).toEqual({
      [`${SVC}/frontend/${idOf("10.0.0.11")}`]: A("10.0.0.11"),
      [`${SVC}/frontend/_tcp/_http/${idOf("10.0.0.11")}`]: NAME("frontend.default.svc.cluster.local.", 8080),
      [OPERATOR_KEY]: A("192.0.2.99"),
    });
    expect(await etcdctlGet(dns(), "/skydns/arpa/in-addr/10/0/0/10/")).toEqual({});
  });

  it("writes per-endpoint A, SRV and PTR records for a headless service, and removes them with the slice", async () => {
    expect((await create("services", service("web", { clusterIP: "None", ports: [{ name: "http", port: 80, protocol: "TCP" }] }))).code).toBe(201);
    const created = await create(
      "endpointslices",
      endpointSlice(
        "web-1",
        "web",
        [
          { addresses: ["10.244.1.5"], conditions: { ready: true }, hostname: "web-0" },
          { addresses: ["10.244.2.7"], conditions: { ready: true } },
          { addresses: ["10.244.3.3"], conditions: { ready: false } },
        ],
        [{ name: "http", port: 80, protocol: "TCP" }],
      ),
    );
    expect(created.code).toBe(201);
    await waitForEtcd(dns(), `${SVC}/web/`, (kv) => Object.keys(kv).length === 4);
    expect(await etcdctlGet(dns(), `${SVC}/web/`)).toEqual({
      [`${SVC}/web/web-0`]: A("10.244.1.5"),
      [`${SVC}/web/c89ee3`]: A("10.244.2.7"),
      [`${SVC}/web/_tcp/_http/web-0`]: NAME("web-0.web.default.svc.cluster.local.", 80),
      [`${SVC}/web/_tcp/_http/c89ee3`]: NAME("c89ee3.web.default.svc.cluster.local.", 80),
    });
    expect(await etcdctlGet(dns(), "/skydns/arpa/in-addr/10/244/")).toEqual({
      [`/skydns/arpa/in-addr/10/244/1/5/${ptrId("web-0.web.default.svc.cluster.local.")}`]: NAME("web-0.web.default.svc.cluster.local."),
      // An endpoint without a hostname maps back to the identifier its A record carries (spec 2.1, 2.4.3).
      [`/skydns/arpa/in-addr/10/244/2/7/${ptrId("c89ee3.web.default.svc.cluster.local.")}`]: NAME("c89ee3.web.default.svc.cluster.local."),
    });
    await cluster.request("DELETE", "/apis/discovery.k8s.io/v1/namespaces/default/endpointslices/web-1");
    await waitForEtcd(dns(), `${SVC}/web/`, (kv) => Object.keys(kv).length === 0);
    expect(await etcdctlGet(dns(), "/skydns/arpa/in-addr/10/244/")).toEqual({});
  });

  it("follows the endpoints controller for a headless service with a selector: hostname/subdomain pods, pod deletion", async () => {
    const ports = [{ name: "pg", port: 5432, protocol: "TCP" }];
    expect((await create("services", service("stateful", { clusterIP: "None", selector: { app: "db" }, ports }))).code).toBe(201);
    const pod = (name: string, hostname?: string) => ({
      apiVersion: "v1",
      kind: "Pod",
      metadata: { name, namespace: "default", labels: { app: "db" } },
      spec: { ...(hostname ? { hostname, subdomain: "stateful" } : {}), containers: [{ name: "pg", image: "postgres", ports: [{ containerPort: 5432 }] }] },
    });
    const ip0 = (await create("pods", pod("db-0", "db-0"))).body.status?.podIP ?? "";
    const ip1 = (await create("pods", pod("db-1"))).body.status?.podIP ?? "";
    const dir = `${SVC}/stateful/`;
    await waitForEtcd(dns(), dir, (kv) => Object.keys(kv).length === 4);
    expect(await etcdctlGet(dns(), dir)).toEqual({
      [`${dir}db-0`]: A(ip0),
      [`${dir}${idOf(ip1)}`]: A(ip1),
      [`${dir}_tcp/_pg/db-0`]: NAME("db-0.stateful.default.svc.cluster.local.", 5432),
      [`${dir}_tcp/_pg/${idOf(ip1)}`]: NAME(`${idOf(ip1)}.stateful.default.svc.cluster.local.`, 5432),
    });
    const reverse = `/skydns/arpa/in-addr/${ip0.split(".").join("/")}/`;
    expect(await etcdctlGet(dns(), reverse)).toEqual({ [`${reverse}${ptrId("db-0.stateful.default.svc.cluster.local.")}`]: NAME("db-0.stateful.default.svc.cluster.local.") });
    await cluster.request("DELETE", "/api/v1/namespaces/default/pods/db-1");
    await waitForEtcd(dns(), dir, (kv) => Object.keys(kv).length === 2);
    expect(Object.keys(await etcdctlGet(dns(), dir)).sort()).toEqual([`${dir}_tcp/_pg/db-0`, `${dir}db-0`]);
    await cluster.request("DELETE", "/api/v1/namespaces/default/pods/db-0");
    await waitForEtcd(dns(), dir, (kv) => Object.keys(kv).length === 0);
  });

  it("writes a CNAME-style record for an ExternalName service", async () => {
    expect((await create("services", service("db", { type: "ExternalName", externalName: "db.example.org" }))).code).toBe(201);
    await waitForEtcd(dns(), `${SVC}/db/`, under(`${SVC}/db/`));
    expect(await etcdctlGet(dns(), `${SVC}/db/`)).toEqual({ [`${SVC}/db/${recordIdFor(NAME("db.example.org."))}`]: NAME("db.example.org.") });
  });

  it("writes a pod record and removes it when the pod goes", async () => {
    const created = await create("pods", {
      apiVersion: "v1",
      kind: "Pod",
      metadata: { name: "busybox", namespace: "default" },
      spec: { containers: [{ name: "c", image: "busybox" }] },
    });
    const ip = created.body.status?.podIP ?? "";
    expect(ip).toMatch(/^10\.244\./);
    const dir = `/skydns/local/cluster/pod/default/${ip.replaceAll(".", "-")}/`;
    await waitForEtcd(dns(), dir, under(dir));
    expect(await etcdctlGet(dns(), dir)).toEqual({ [`${dir}${idOf(ip)}`]: A(ip) });
    await cluster.request("DELETE", "/api/v1/namespaces/default/pods/busybox");
    await waitForEtcd(dns(), dir, noneUnder(dir));
  });

  it("cleans on restart a service deleted while kube2sky was stopped, leaving the operator's key", async () => {
    await kube2sky.stop();
    await cluster.request("DELETE", "/api/v1/namespaces/default/services/frontend");
    expect(Object.keys(await etcdctlGet(dns(), `${SVC}/frontend/`))).toHaveLength(3);
    kube2sky = await startK2s();
    await kube2sky.ready;
    expect(await etcdctlGet(dns(), `${SVC}/frontend/`)).toEqual({ [OPERATOR_KEY]: A("192.0.2.99") });
    expect(await etcdctlGet(dns(), "/kube2sky/owners/service/default/frontend")).toEqual({});
  });

  it("loses no update while its etcd is down", async () => {
    await cluster.dnsEtcd.halt();
    const failed = logs.next(/etcd sync failed/);
    expect((await create("services", service("outage", { clusterIP: "10.0.0.4", ports: [{ port: 80 }] }))).code).toBe(201);
    await failed;
    await cluster.dnsEtcd.start();
    await waitForEtcd(dns(), `${SVC}/outage/`, under(`${SVC}/outage/`));
    expect(await etcdctlGet(dns(), `${SVC}/outage/`)).toEqual({ [`${SVC}/outage/${idOf("10.0.0.4")}`]: A("10.0.0.4") });
  });

  it("resumes after its watch closes (API server restarted), with what changed while it was away", async () => {
    const port = Number(new URL(cluster.api.url).port);
    await cluster.api.stop();
    // While kube2sky's API server is down, another one on the same etcd adds a service. Whether kube2sky's next watch
    // fails (then it relists) or lands on the restarted server (then it resumes from its resourceVersion) is a race;
    // either way it must end up with the service.
    await whileAway(async (other) => expect((await postService(other, "while-away", "10.0.0.7")).status).toBe(201));
    cluster.api = await cluster.startApi(port);
    await waitForEtcd(dns(), `${SVC}/while-away/`, under(`${SVC}/while-away/`));
    expect((await create("services", service("after-restart", { clusterIP: "10.0.0.5", ports: [{ port: 80 }] }))).code).toBe(201);
    await waitForEtcd(dns(), `${SVC}/after-restart/`, under(`${SVC}/after-restart/`));
  });

  it("relists after 410 Gone and reconciles what changed while its watch was away", async () => {
    const port = Number(new URL(cluster.api.url).port);
    const listsBefore = await serviceLists();
    await cluster.api.stop();
    // Another API server on the same etcd changes things, then the history is compacted away.
    await whileAway(async (other) => {
      expect((await postService(other, "after-gone", "10.0.0.6")).status).toBe(201);
      expect((await fetch(`${other.url}/api/v1/namespaces/default/services/outage`, { method: "DELETE" })).status).toBe(200);
    });
    await compact(cluster.apiEtcd.clientUrl);
    cluster.api = await cluster.startApi(port);
    await waitForEtcd(dns(), SVC, (kv) => under(`${SVC}/after-gone/`)(kv) && noneUnder(`${SVC}/outage/`)(kv));
    expect(await serviceLists()).toBeGreaterThan(listsBefore);
  });
});

/** whileAway runs change against a second API server on the same etcd (kube2sky's own is stopped), then stops it. */
async function whileAway(change: (other: DevApiServer) => Promise<void>): Promise<void> {
  const other = await cluster.startApi();
  try {
    await change(other);
  } finally {
    await other.stop();
  }
}

function postService(api: DevApiServer, name: string, clusterIP: string): Promise<Response> {
  return fetch(`${api.url}/api/v1/namespaces/default/services`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(service(name, { clusterIP, ports: [{ port: 80 }] })),
  });
}

function create(resource: string, body: unknown): ReturnType<Cluster["request"]> {
  const path = resource === "endpointslices" ? "/apis/discovery.k8s.io/v1/namespaces/default/endpointslices" : `/api/v1/namespaces/default/${resource}`;
  return cluster.request("POST", path, body);
}

async function serviceLists(): Promise<number> {
  const metric = await kube2sky.registry.getSingleMetric("kubedns_kube2sky_lists_total")?.get();
  return metric?.values.find((v) => v.labels.kind === "service")?.value ?? 0;
}

// Compacts etcd at its current revision with the real etcdctl.
async function compact(endpoint: string): Promise<void> {
  const client = new Etcd3({ hosts: endpoint });
  const revision = (await client.kv.range({ key: Buffer.from("/") })).header.revision;
  client.close();
  await promisify(execFile)("etcdctl", ["--endpoints", endpoint, "compact", revision], { env: { ...process.env, ETCDCTL_API: "3" } });
}
