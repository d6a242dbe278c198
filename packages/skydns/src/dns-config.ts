import { isIP } from "node:net";
import type { HostPort } from "@kube-dns/flagvalues";
import { isSubdomain, normalizeName } from "@kube-dns/msg";

/** StubDomain sends the names at and under domain to its own upstreams. */
export interface StubDomain {
  readonly domain: string;
  readonly upstreams: readonly HostPort[];
}

/** DnsConfig is the value of the config key, validated: what it overrides of the flags. */
export interface DnsConfig {
  /** Upstreams for names outside the zones and stub domains; undefined keeps the flags' (or resolv.conf's). */
  readonly nameservers: readonly HostPort[] | undefined;
  readonly stubDomains: readonly StubDomain[];
  /** Zones served from the records besides the cluster domain and --zones, lowercase FQDNs. */
  readonly zones: readonly string[];
}

/** NO_DNS_CONFIG is what no config key means: the flags alone. */
export const NO_DNS_CONFIG: DnsConfig = Object.freeze({ nameservers: undefined, stubDomains: Object.freeze([]), zones: Object.freeze([]) });

/** ParsedDnsConfig is a config value, or why it was refused. */
export type ParsedDnsConfig = { readonly ok: true; readonly config: DnsConfig } | { readonly ok: false; readonly error: string };

// Bounds a config value can make skydns hold and walk per forwarded query (stub domains are matched in a loop).
const MAX_CONFIG_BYTES = 64 * 1024;
const MAX_SERVERS = 16;
const MAX_STUB_DOMAINS = 64;
const MAX_ZONES = 64;

/** Served says which zones a stub domain may not lie in: the cluster domain and the --zones flag's. */
export interface Served {
  readonly clusterDomain: string;
  readonly flagZones: readonly string[];
}

/**
 * parseDnsConfig validates a config value as a whole: JSON `{"nameservers": [...], "stub_domains": {...}, "zones": [...]}`,
 * every field optional, unknown fields ignored (a newer writer may add some). Any fault refuses the whole value,
 * so a half-applied config never serves.
 */
export function parseDnsConfig(raw: string, served: Served): ParsedDnsConfig {
  try {
    return { ok: true, config: configOf(raw, served) };
  } catch (error) {
    return { ok: false, error: (error as Error).message };
  }
}

function configOf(raw: string, served: Served): DnsConfig {
  if (Buffer.byteLength(raw, "utf8") > MAX_CONFIG_BYTES) throw new Error(`the value is over ${MAX_CONFIG_BYTES} bytes`);
  const value: unknown = JSON.parse(raw);
  if (!isObject(value)) throw new Error("the value is not a JSON object");
  const nameservers = value["nameservers"] === undefined ? undefined : serversOf(value["nameservers"], "nameservers");
  const zones = listOf(value["zones"] ?? [], "zones", MAX_ZONES).map((zone) => domainOf(zone, "zones"));
  for (const zone of zones) {
    if (isSubdomain(zone, served.clusterDomain)) throw new Error(`zone ${zone} lies inside the cluster domain ${served.clusterDomain}`);
  }
  const stubs = value["stub_domains"] ?? {};
  if (!isObject(stubs)) throw new Error("stub_domains is not an object");
  const entries = Object.entries(stubs);
  if (entries.length > MAX_STUB_DOMAINS) throw new Error(`stub_domains has over ${MAX_STUB_DOMAINS} domains`);
  const servedZones = [served.clusterDomain, ...served.flagZones, ...zones];
  const stubDomains = entries.map(([rawDomain, servers]): StubDomain => {
    const domain = domainOf(rawDomain, "stub_domains");
    // A name in a served zone is answered from the records, never forwarded: a stub there would be dead config.
    const inside = servedZones.find((zone) => isSubdomain(domain, zone));
    if (inside !== undefined) throw new Error(`stub domain ${domain} lies inside the served zone ${inside}`);
    const upstreams = serversOf(servers, `stub_domains[${JSON.stringify(rawDomain)}]`);
    if (upstreams.length === 0) throw new Error(`stub domain ${domain} has no servers`);
    return Object.freeze({ domain, upstreams });
  });
  return Object.freeze({ nameservers, stubDomains: Object.freeze(stubDomains), zones: Object.freeze([...new Set(zones)]) });
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function listOf(value: unknown, field: string, max: number): unknown[] {
  if (!Array.isArray(value)) throw new Error(`${field} is not a list`);
  if (value.length > max) throw new Error(`${field} has over ${max} entries`);
  return value;
}

function domainOf(value: unknown, field: string): string {
  if (typeof value !== "string") throw new Error(`${field} holds a ${typeof value}, not a domain`);
  const domain = normalizeName(value);
  if (domain === ".") throw new Error(`${field} holds the root, which is "nameservers"`);
  return domain;
}

function serversOf(value: unknown, field: string): HostPort[] {
  return listOf(value, field, MAX_SERVERS).map((server) => {
    if (typeof server !== "string") throw new Error(`${field} holds a ${typeof server}, not an address`);
    return serverOf(server, field);
  });
}

/** serverOf reads `IP:port`, `[IPv6]:port` or a bare IP (port 53); host names are refused (no lookup to find them). */
export function serverOf(server: string, field = "server"): HostPort {
  if (isIP(server) !== 0) return { host: server, port: 53 };
  const match = /^\[([^\]]+)\]:(\d{1,5})$/.exec(server) ?? /^([^:[\]]+):(\d{1,5})$/.exec(server);
  const port = Number(match?.[2]);
  if (match === null || isIP(match[1]!) === 0 || port < 1 || port > 65535) throw new Error(`${field} holds ${JSON.stringify(server)}, not IP:port`);
  return { host: match[1]!, port };
}
