// Section 2: how long a change takes from the API write to skydns's answer, hop by hop, while a prober keeps asking.
import { pathFor } from "@kube-dns/msg";
import { Etcd3 } from "etcd3";
import { apiRequest, createNamespace } from "../e2e/harness/api-client.js";
import { seedServices } from "../e2e/harness/cluster-seed.js";
import { allRight, benchServices, expectedA, startBenchPod } from "./cluster.js";
import { DnsClient, rdataOf, type Reply } from "./dns-client.js";
import { onStop } from "./cleanup.js";
import { startProber, type ProberResult } from "./prober.js";

/** The change types measured, in the order they run. */
export const CHANGE_TYPES = ["create service", "update ports", "delete service", "add headless endpoint"] as const;
export type ChangeType = (typeof CHANGE_TYPES)[number];

/** Change is one timed change: ms from the API call's start to its return, to the etcd event, to the right answer. */
export interface Change {
  readonly type: ChangeType;
  readonly apiMs: number;
  readonly etcdMs: number;
  readonly dnsMs: number;
}

/** PropagationResult is every change timed, at a cluster of `services` services, and what the prober saw. */
export interface PropagationResult {
  readonly services: number;
  readonly changes: readonly Change[];
  readonly prober: ProberResult;
  /** Changes not timed: the answer never came right within CHANGE_TIMEOUT_MS, or no etcd event was seen. */
  readonly missed: readonly { readonly type: ChangeType; readonly service: string; readonly reason: string }[];
}

const NAMESPACE = "bench-prop";
const CHANGE_TIMEOUT_MS = 10_000;
const POLL_MS = 1;

/** measurePropagation seeds `services` services, then times `changes` changes of each type, one at a time. */
export async function measurePropagation(options: { services: number; changes: number; progress: (line: string) => void }): Promise<PropagationResult> {
  const { pod, stop } = await startBenchPod();
  try {
    const seeded = benchServices(options.services);
    await seedServices(pod.clusterEtcdUrl, seeded);
    await allRight(pod, expectedA(seeded), 10 * 60_000, (line) => options.progress(`propagation: ${line}`));
    await createNamespace(pod.apiserverUrl, NAMESPACE);
    options.progress(`propagation: ${options.services} services answer; timing ${options.changes} changes of each type`);
    const etcd = new Etcd3({ hosts: pod.etcdUrl });
    const closeEtcd = onStop(() => etcd.close());
    const prefix = `${pathFor(`${NAMESPACE}.svc.cluster.local.`)}/`;
    const firstEvent = new Map<string, number>();
    const watcher = await etcd.watch().prefix(prefix).create();
    const seen = (key: Buffer): void => {
      const service = key.toString().slice(prefix.length).split("/")[0] ?? "";
      if (!firstEvent.has(service)) firstEvent.set(service, performance.now());
    };
    watcher.on("put", (kv) => seen(kv.key));
    watcher.on("delete", (kv) => seen(kv.key));
    const dns = await DnsClient.open(pod.dnsIp, 53);
    const prober = startProber(pod.dnsIp, seeded.map((s) => `${s.name}.${s.namespace}.svc.cluster.local`));
    const changes: Change[] = [];
    const missed: { type: ChangeType; service: string; reason: string }[] = [];
    const time = async (type: ChangeType, service: string, write: () => Promise<unknown>, right: (reply: Reply) => boolean, question: [string, "A" | "SRV"]): Promise<void> => {
      firstEvent.delete(service);
      const started = performance.now();
      await write();
      const returned = performance.now();
      const answered = await pollUntil(dns, question, right, started + CHANGE_TIMEOUT_MS);
      const event = firstEvent.get(service);
      if (answered === undefined || event === undefined) {
        missed.push({ type, service, reason: answered === undefined ? `no right answer within ${CHANGE_TIMEOUT_MS / 1000} s` : "answered, but no etcd event seen for it" });
        return;
      }
      changes.push({ type, apiMs: returned - started, etcdMs: event - started, dnsMs: answered - started });
    };
    const api = pod.apiserverUrl;
    const servicesPath = `/api/v1/namespaces/${NAMESPACE}/services`;
    const slicesPath = `/apis/discovery.k8s.io/v1/namespaces/${NAMESPACE}/endpointslices`;
    const ips = new Map<string, string>();
    const fqdn = (name: string): string => `${name}.${NAMESPACE}.svc.cluster.local`;
    for (let i = 0; i < options.changes; i++) {
      const name = `c-${i}`;
      await time("create service", name, async () => {
        const created = (await apiRequest(api, "POST", servicesPath, serviceBody(name, "http"))) as { spec: { clusterIP: string } };
        ips.set(name, created.spec.clusterIP);
      }, (r) => rdataOf(r.packet).includes(ips.get(name) ?? "?"), [fqdn(name), "A"]);
    }
    options.progress(`propagation: creates done`);
    for (let i = 0; i < options.changes; i++) {
      const name = `c-${i}`;
      const current = (await apiRequest(api, "GET", `${servicesPath}/${name}`)) as { spec: { ports: { name: string }[] } };
      current.spec.ports = [{ ...current.spec.ports[0], name: "web" }];
      await time("update ports", name, () => apiRequest(api, "PUT", `${servicesPath}/${name}`, current), (r) => r.rcode === "NOERROR" && rdataOf(r.packet).length > 0, [`_web._tcp.${fqdn(name)}`, "SRV"]);
    }
    options.progress(`propagation: port updates done`);
    for (let i = 0; i < options.changes; i++) {
      const name = `c-${i}`;
      await time("delete service", name, () => apiRequest(api, "DELETE", `${servicesPath}/${name}`), (r) => r.rcode === "NXDOMAIN", [fqdn(name), "A"]);
    }
    options.progress(`propagation: deletes done`);
    for (let i = 0; i < options.changes; i++) {
      const name = `h-${i}`;
      await apiRequest(api, "POST", servicesPath, { ...serviceBody(name, "http"), spec: { clusterIP: "None", ports: [{ name: "http", port: 80 }] } });
      const slice = (await apiRequest(api, "POST", slicesPath, sliceBody(name, [endpointIp(i, 0)]))) as Record<string, unknown>;
      await pollUntil(dns, [fqdn(name), "A"], (r) => rdataOf(r.packet).includes(endpointIp(i, 0)), performance.now() + CHANGE_TIMEOUT_MS);
      const added = endpointIp(i, 1);
      await time("add headless endpoint", name, () => apiRequest(api, "PUT", `${slicesPath}/${name}-bench`, { ...slice, endpoints: sliceBody(name, [endpointIp(i, 0), added]).endpoints }), (r) => rdataOf(r.packet).includes(added), [fqdn(name), "A"]);
    }
    options.progress(`propagation: headless endpoints done`);
    const probed = await prober.stop();
    await dns.close();
    await watcher.cancel();
    await closeEtcd();
    return { services: options.services, changes, prober: probed, missed };
  } finally {
    await stop();
  }
}

// Asks question every POLL_MS until right holds, and returns when the right reply arrived; undefined past deadline.
async function pollUntil(dns: DnsClient, [name, type]: [string, "A" | "SRV"], right: (reply: Reply) => boolean, deadline: number): Promise<number | undefined> {
  for (let tries = 0; tries < CHANGE_TIMEOUT_MS / POLL_MS && performance.now() < deadline; tries++) {
    const reply = await dns.ask(name, type, 500);
    if (reply !== undefined && right(reply)) return reply.at;
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
  return undefined;
}

function serviceBody(name: string, port: string): object {
  return { apiVersion: "v1", kind: "Service", metadata: { name }, spec: { ports: [{ name: port, port: 80 }] } };
}

function endpointIp(service: number, endpoint: number): string {
  return `10.200.${service & 255}.${endpoint + 1}`;
}

// An EndpointSlice as an endpoint controller would write it, labelled as not the dev API server's own controller's.
function sliceBody(service: string, addresses: readonly string[]): { endpoints: object[]; [field: string]: unknown } {
  return {
    apiVersion: "discovery.k8s.io/v1",
    kind: "EndpointSlice",
    metadata: { name: `${service}-bench`, labels: { "kubernetes.io/service-name": service, "endpointslice.kubernetes.io/managed-by": "bench.kube-dns.test" } },
    addressType: "IPv4",
    endpoints: addresses.map((ip) => ({ addresses: [ip], conditions: { ready: true, serving: true, terminating: false } })),
    ports: [{ name: "http", port: 80, protocol: "TCP" }],
  };
}
