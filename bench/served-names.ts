import { type EndpointGroup, type Service, serviceRecords } from "@kube-dns/kube2sky";
import { Random } from "../packages/skydns/test/fuzz/corpus.js";

/** ServedNames is one set of names, as skydns's etcd records and as dnsmasq's configuration, and a query file. */
export interface ServedNames {
  /** etcd key -> record JSON, exactly what kube2sky writes for these services. */
  readonly records: ReadonlyMap<string, string>;
  /** dnsmasq --addn-hosts lines: one per ClusterIP name, one per address of a headless name. */
  readonly hostsLines: readonly string[];
  /** dnsmasq --srv-host values, only for the SRV names the query file asks. */
  readonly srvHosts: readonly string[];
  /** dnsperf's query file lines (`NAME TYPE`), in mixed letter case. */
  readonly queries: readonly string[];
  readonly counts: { readonly clusterIp: number; readonly srv: number; readonly headless: number; readonly endpointsPerHeadless: number };
}

/** The query mix, in percent of the query file: ClusterIP A, SRV, headless A (several addresses), NXDOMAIN. */
export const QUERY_MIX = { clusterIp: 70, srv: 10, headless: 10, nxdomain: 10 } as const;

const ZONE = "cluster.local";
const NAMESPACES = 10;
const ENDPOINTS_PER_HEADLESS = 4;
const HTTP = { name: "http", protocol: "TCP", port: 80 } as const;

/**
 * servedNames builds `total` names served alike by both servers: 80 % ClusterIP services (A), 10 % their SRV names
 * (`_http._tcp.<svc>`), 10 % headless services with ENDPOINTS_PER_HEADLESS addresses each; and a query file of
 * queryCount lines in QUERY_MIX, every letter in random case, from a fixed seed (the same file every run).
 */
export function servedNames(total: number, queryCount: number, seed = 42): ServedNames {
  const srv = Math.round(total / 10);
  const headless = Math.round(total / 10);
  const clusterIp = total - srv - headless;
  const records = new Map<string, string>();
  const hostsLines: string[] = [];
  const names = { clusterIp: [] as string[], srv: [] as string[], headless: [] as string[] };
  for (let i = 0; i < clusterIp; i++) {
    const service = plainService(`svc-${i}`, `ns-${i % NAMESPACES}`, [`10.1.${i >> 8}.${i & 255}`]);
    for (const [key, value] of serviceRecords(service, [], ZONE).records) records.set(key, value);
    const name = `${service.name}.${service.namespace}.svc.${ZONE}`;
    hostsLines.push(`${service.clusterIPs[0]} ${name}`);
    names.clusterIp.push(name);
    if (i < srv) names.srv.push(`_http._tcp.${name}`);
  }
  for (let i = 0; i < headless; i++) {
    const service = plainService(`hl-${i}`, `ns-${i % NAMESPACES}`, ["None"]);
    const addresses = Array.from({ length: ENDPOINTS_PER_HEADLESS }, (_, e) => `10.2.${i >> 6}.${((i & 63) << 2) + e}`);
    const group: EndpointGroup = {
      namespace: service.namespace, serviceName: service.name, source: `slice/${service.namespace}/${service.name}`,
      endpoints: addresses.map((ip) => ({ addresses: [ip], ready: true, hostname: "" })), ports: [HTTP],
    };
    for (const [key, value] of serviceRecords(service, [group], ZONE).records) records.set(key, value);
    const name = `${service.name}.${service.namespace}.svc.${ZONE}`;
    for (const ip of addresses) hostsLines.push(`${ip} ${name}`);
    names.headless.push(name);
  }
  const srvHosts = names.srv.map((name) => `${name},${name.slice("_http._tcp.".length)},80,10,10`);
  const random = new Random(seed);
  const queries: string[] = [];
  for (let q = 0; q < queryCount; q++) {
    const roll = random.below(100);
    const [name, type] =
      roll < QUERY_MIX.clusterIp ? [random.pick(names.clusterIp), "A"]
      : roll < QUERY_MIX.clusterIp + QUERY_MIX.srv ? [random.pick(names.srv), "SRV"]
      : roll < 100 - QUERY_MIX.nxdomain ? [random.pick(names.headless), "A"]
      : [`nx-${random.below(total)}.ns-${random.below(NAMESPACES)}.svc.${ZONE}`, "A"];
    queries.push(`${mixedCase(name, random)} ${type}`);
  }
  return { records, hostsLines, srvHosts, queries, counts: { clusterIp, srv, headless, endpointsPerHeadless: ENDPOINTS_PER_HEADLESS } };
}

function plainService(name: string, namespace: string, clusterIPs: string[]): Service {
  return { namespace, name, type: "ClusterIP", clusterIPs, externalName: "", ports: [HTTP], publishNotReadyAddresses: false };
}

function mixedCase(name: string, random: Random): string {
  return Array.from(name, (c) => (random.below(2) === 0 ? c.toUpperCase() : c)).join("");
}
