import type { SoaAnswer } from "dns-packet";
import { IN_ADDR_ARPA, IP6_ARPA, isSubdomain } from "@kube-dns/msg";

/** Zone is what skydns needs to know to answer authoritatively for the cluster domain. */
export interface Zone {
  /** The cluster domain, lowercase with the trailing dot. */
  readonly domain: string;
  /** The apex's name server, `ns.dns.<domain>`: the SOA MNAME and the NS target; it resolves. */
  readonly nsName: string;
  /** The SOA RNAME, `hostmaster.<domain>` (v1.2 answered `hostmaster.skydns.local.`, bug 12). */
  readonly hostmaster: string;
  /** The addresses ns.dns.<domain> resolves to (the NS glue). */
  readonly nsAddresses: readonly string[];
  readonly ttlSeconds: number;
  readonly minTtlSeconds: number;
  /** The SOA TTL and MINIMUM: how long resolvers cache NXDOMAIN and NODATA (RFC 2308 section 5). */
  readonly negativeTtlSeconds: number;
  readonly wildcards: boolean;
}

/** Where a query goes: the cluster zone, a reverse lookup, or outside (forwarded or REFUSED). */
export type Route = "zone" | "reverse" | "external";

const SOA_REFRESH_SECONDS = 28800;
const SOA_RETRY_SECONDS = 7200;
const SOA_EXPIRE_SECONDS = 604800;

/** zoneFor builds the Zone of a domain. */
export function zoneFor(options: {
  domain: string;
  nsAddresses: readonly string[];
  ttlSeconds: number;
  minTtlSeconds: number;
  wildcards: boolean;
}): Zone {
  return Object.freeze({
    domain: options.domain,
    nsName: `ns.dns.${options.domain}`,
    hostmaster: `hostmaster.${options.domain}`,
    nsAddresses: Object.freeze([...options.nsAddresses]),
    ttlSeconds: options.ttlSeconds,
    minTtlSeconds: options.minTtlSeconds,
    negativeTtlSeconds: Math.max(options.ttlSeconds, options.minTtlSeconds),
    wildcards: options.wildcards,
  });
}

/**
 * routeOf picks the route of a lowercase FQDN: the zone on label boundaries (v1.2 used a string suffix,
 * bug 10), the reverse zones for PTR only (v1.2 sent every type under ip6.arpa there, bug 11), else external.
 */
export function routeOf(name: string, qtype: string, zone: Zone): Route {
  if (isSubdomain(name, zone.domain)) return "zone";
  if (qtype === "PTR" && (isSubdomain(name, IN_ADDR_ARPA) || isSubdomain(name, IP6_ARPA))) return "reverse";
  return "external";
}

/** soaFor returns the apex SOA; its TTL is the negative-caching TTL, as RFC 2308 section 3 asks. */
export function soaFor(zone: Zone, serial: number): SoaAnswer {
  return {
    name: zone.domain,
    type: "SOA",
    class: "IN",
    ttl: zone.negativeTtlSeconds,
    data: {
      mname: zone.nsName,
      rname: zone.hostmaster,
      serial: serial >>> 0,
      refresh: SOA_REFRESH_SECONDS,
      retry: SOA_RETRY_SECONDS,
      expire: SOA_EXPIRE_SECONDS,
      minimum: zone.negativeTtlSeconds,
    },
  };
}
