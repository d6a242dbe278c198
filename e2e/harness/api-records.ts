import { readPrefix } from "@kube-dns/etcd-feed";
import { configKeyFor, programmedKeyFor } from "@kube-dns/msg";
import { desiredState, toEndpointGroupFromSlice, toService } from "@kube-dns/kube2sky";
import type { Etcd3 } from "etcd3";
import { apiRequest } from "./api-client.js";
import type { Churn } from "./churn.js";
import type { SeededService } from "./cluster-seed.js";
import type { Expected } from "./dns-sweep.js";

type RawService = Parameters<typeof toService>[0];
type RawSlice = Parameters<typeof toEndpointGroupFromSlice>[0];

/**
 * recordsTheApiSays lists every Service and EndpointSlice from the API server and returns the records kube2sky must
 * keep for them under /skydns (key -> exact value), computed with kube2sky's own pure desired-state function.
 */
export async function recordsTheApiSays(apiserverUrl: string, zone = "cluster.local."): Promise<Map<string, string>> {
  const list = async <T>(path: string): Promise<T[]> => {
    const response = await fetch(`${apiserverUrl}${path}`, { signal: AbortSignal.timeout(10_000) });
    if (!response.ok) throw new Error(`GET ${path}: ${response.status}`);
    return ((await response.json()) as { items: T[] }).items;
  };
  const services = (await list<RawService>("/api/v1/services")).map(toService);
  const groups = (await list<RawSlice>("/apis/discovery.k8s.io/v1/endpointslices")).flatMap(toEndpointGroupFromSlice);
  const records = new Map<string, string>();
  for (const set of desiredState(services, groups, [], zone, "/skydns").values()) for (const [key, value] of set.records) records.set(key, value);
  return records;
}

/**
 * recordsInEtcd reads every record under /skydns (one snapshot, paged): every key but skydns's config and kube2sky's
 * programmed key, which are not records.
 */
export async function recordsInEtcd(client: Etcd3): Promise<Map<string, string>> {
  const { entries } = await readPrefix(client, "/skydns/");
  const notRecords = new Set([configKeyFor(), programmedKeyFor()]);
  return new Map(entries.filter((entry) => !notRecords.has(entry.key)).map((entry) => [entry.key, entry.value.toString("utf8")]));
}

/** differences lists, at most limit of them, the keys whose value etcd and the API disagree on: `key: etcd -> api`. */
export function differences(etcd: ReadonlyMap<string, string>, api: ReadonlyMap<string, string>, limit = 5): string[] {
  const out: string[] = [];
  for (const key of new Set([...etcd.keys(), ...api.keys()])) {
    if (etcd.get(key) === api.get(key)) continue;
    out.push(`${key}: ${etcd.get(key) ?? "(none)"} -> ${api.get(key) ?? "(none)"}`);
    if (out.length >= limit) break;
  }
  return out;
}

type ApiService = { metadata: { name: string; namespace: string }; spec: { clusterIP: string; ports?: Array<{ name?: string; port: number; protocol?: string }> } };

/**
 * answersTheApiSays is what skydns must answer for what the API holds now: every service's A record and the SRV of
 * each named port, and NXDOMAIN for every service the churn created and deleted since.
 */
export async function answersTheApiSays(apiserverUrl: string, churn: Churn): Promise<Expected[]> {
  const { items } = (await apiRequest(apiserverUrl, "GET", "/api/v1/services")) as { items: ApiService[] };
  const expected = items.flatMap((s): Expected[] => {
    const name = `${s.metadata.name}.${s.metadata.namespace}.svc.cluster.local`;
    const srv = (s.spec.ports ?? []).filter((p) => p.name).map((p): Expected => ({ name: `_${p.name}._${(p.protocol ?? "TCP").toLowerCase()}.${name}`, type: "SRV", rcode: "NOERROR", data: [`${p.port} ${name}`] }));
    return [{ name, type: "A", rcode: "NOERROR", data: [s.spec.clusterIP] }, ...srv];
  });
  const live = new Set(churn.services().map((s) => s.name));
  const gone = Array.from({ length: churn.created }, (_, i) => `churn-${i}`).filter((name) => !live.has(name));
  return [...expected, ...gone.map((name): Expected => ({ name: `${name}.${churn.namespace}.svc.cluster.local`, type: "A", rcode: "NXDOMAIN", data: [] }))];
}

/** seededAnswers is what seeded services (one `http` port each) answer, with `kubernetes.default`'s A record first. */
export function seededAnswers(services: readonly SeededService[]): Expected[] {
  return [
    { name: "kubernetes.default.svc.cluster.local", type: "A", rcode: "NOERROR", data: ["10.0.0.1"] },
    ...services.flatMap((s): Expected[] => [
      { name: `${s.name}.${s.namespace}.svc.cluster.local`, type: "A", rcode: "NOERROR", data: [s.clusterIP] },
      { name: `_http._tcp.${s.name}.${s.namespace}.svc.cluster.local`, type: "SRV", rcode: "NOERROR", data: [`80 ${s.name}.${s.namespace}.svc.cluster.local`] },
    ]),
  ];
}
