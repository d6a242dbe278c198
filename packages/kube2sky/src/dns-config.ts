import { isIPv4, isIPv6 } from "node:net";
import { isSubdomain, NameError, normalizeName } from "@kube-dns/msg";

/**
 * DnsConfig is the part of skydns's configuration that kube2sky owns, as it is stored at /skydns/config: upstream
 * nameservers and stub domains, every address `IP:port` (IPv6 as `[::1]:53`), every domain a lowercase FQDN. A field
 * is absent when the ConfigMap leaves it out or empty: skydns then uses its own flags.
 */
export interface DnsConfig {
  readonly nameservers?: readonly string[];
  readonly stub_domains?: Readonly<Record<string, readonly string[]>>;
}

/** ParsedConfig is a ConfigMap's data read as a DnsConfig, or why it was refused. */
export type ParsedConfig = { readonly ok: true; readonly config: DnsConfig } | { readonly ok: false; readonly reason: string };

/** MAX_UPSTREAM_NAMESERVERS is kube-dns's own bound (k8s.io/dns pkg/dns/config/config.go, validateUpstreamNameserver). */
export const MAX_UPSTREAM_NAMESERVERS = 3;
/** MAX_STUB_DOMAINS bounds the stub domains, so that one ConfigMap cannot make skydns's table grow without end. */
export const MAX_STUB_DOMAINS = 100;
/** MAX_STUB_NAMESERVERS bounds the nameservers of one stub domain. */
export const MAX_STUB_NAMESERVERS = 10;

const DNS_PORT = 53;

class Refused extends Error {}

/**
 * parseDnsConfig reads a `kube-dns` ConfigMap's data in kube-dns's schema: `upstreamNameservers`, a JSON list of `IP`
 * or `IP:port`, and `stubDomains`, a JSON map from domain to such a list. Other keys are ignored. Anything wrong
 * refuses the whole ConfigMap: bad JSON, a list item that is not a string, a bad address or port, a stub domain equal
 * to or inside zone (the cluster's own names are never forwarded), or more entries than the bounds above.
 */
export function parseDnsConfig(data: Readonly<Record<string, string>> | undefined, zone: string): ParsedConfig {
  try {
    const nameservers = data?.["upstreamNameservers"] === undefined ? [] : upstreams(data["upstreamNameservers"]);
    const stubs = data?.["stubDomains"] === undefined ? {} : stubDomains(data["stubDomains"], zone);
    return {
      ok: true,
      config: { ...(nameservers.length > 0 ? { nameservers } : {}), ...(Object.keys(stubs).length > 0 ? { stub_domains: stubs } : {}) },
    };
  } catch (error) {
    if (error instanceof Refused) return { ok: false, reason: error.message };
    throw error;
  }
}

function upstreams(text: string): string[] {
  const list = stringList(parseJson(text, "upstreamNameservers"), "upstreamNameservers");
  if (list.length > MAX_UPSTREAM_NAMESERVERS) throw new Refused(`upstreamNameservers: at most ${MAX_UPSTREAM_NAMESERVERS} entries, not ${list.length}`);
  return list.map((server) => normalizeServer(server, "upstreamNameservers"));
}

function stubDomains(text: string, zone: string): Record<string, string[]> {
  const parsed = parseJson(text, "stubDomains");
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) throw new Refused("stubDomains: must be a JSON object of domain to nameserver list");
  const entries = Object.entries(parsed as Record<string, unknown>);
  if (entries.length > MAX_STUB_DOMAINS) throw new Refused(`stubDomains: at most ${MAX_STUB_DOMAINS} domains, not ${entries.length}`);
  const out: Record<string, string[]> = {};
  for (const [rawDomain, value] of entries) {
    const domain = normalizeDomain(rawDomain);
    if (isSubdomain(domain, zone)) throw new Refused(`stubDomains: ${JSON.stringify(rawDomain)} is the cluster domain ${zone} or inside it`);
    if (out[domain] !== undefined) throw new Refused(`stubDomains: ${JSON.stringify(rawDomain)} appears twice`);
    const field = `stubDomains[${JSON.stringify(rawDomain)}]`;
    const servers = stringList(value, field);
    if (servers.length === 0) throw new Refused(`${field}: needs at least one nameserver`);
    if (servers.length > MAX_STUB_NAMESERVERS) throw new Refused(`${field}: at most ${MAX_STUB_NAMESERVERS} nameservers, not ${servers.length}`);
    out[domain] = servers.map((server) => normalizeServer(server, field));
  }
  return out;
}

function parseJson(text: string, field: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new Refused(`${field}: not JSON (${(error as Error).message})`);
  }
}

function stringList(value: unknown, field: string): string[] {
  if (!Array.isArray(value)) throw new Refused(`${field}: must be a JSON list of strings`);
  const bad = value.findIndex((item) => typeof item !== "string");
  if (bad >= 0) throw new Refused(`${field}: item ${bad} is not a string: ${JSON.stringify(value[bad])}`);
  return value as string[];
}

// A domain as kube-dns takes it (a DNS-1123 subdomain), with a trailing dot and capitals tolerated.
function normalizeDomain(rawDomain: string): string {
  try {
    const domain = normalizeName(rawDomain);
    if (domain === "." || domain.includes("*") || domain.includes("_")) throw new NameError(rawDomain);
    return domain;
  } catch (error) {
    if (error instanceof NameError) throw new Refused(`stubDomains: ${JSON.stringify(rawDomain)} is not a domain name`);
    throw error;
  }
}

/**
 * normalizeServer turns `IP`, `IP:port`, bare IPv6 or `[IPv6]:port` into `IP:port` (`[IPv6]:port`), port 53 when none
 * is given, as kube-dns's ValidateNameserverIpAndPort reads them.
 */
function normalizeServer(server: string, field: string): string {
  const bad = (why: string): Refused => new Refused(`${field}: ${JSON.stringify(server)}: ${why}`);
  let host = server;
  let port = DNS_PORT;
  const bracketed = /^\[([^\]]+)\](?::(.*))?$/.exec(server);
  if (bracketed !== null) {
    host = bracketed[1] ?? "";
    if (bracketed[2] !== undefined) port = parsePort(bracketed[2], bad);
    if (!isIPv6(host)) throw bad("not an IPv6 address");
  } else if (!isIPv6(server)) {
    const colon = server.lastIndexOf(":");
    if (colon >= 0) {
      host = server.slice(0, colon);
      port = parsePort(server.slice(colon + 1), bad);
    }
    if (!isIPv4(host)) throw bad("not an IP address");
  }
  // A zone index (`fe80::1%eth0`) names an interface of this host, not of skydns's; Go's net.ParseIP refuses it too.
  if (host.includes("%")) throw bad("an IPv6 zone index is not allowed");
  return isIPv6(host) ? `[${host.toLowerCase()}]:${port}` : `${host}:${port}`;
}

function parsePort(text: string, bad: (why: string) => Refused): number {
  const port = /^\d{1,5}$/.test(text) ? Number(text) : NaN;
  if (!(port >= 1 && port <= 65535)) throw bad(`port ${JSON.stringify(text)} is not 1-65535`);
  return port;
}
