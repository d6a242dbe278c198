import type { SoaAnswer } from "dns-packet";
import { IN_ADDR_ARPA, IP6_ARPA, isSubdomain } from "@kube-dns/msg";

/** Zone is what skydns needs to know to answer authoritatively for one domain (the cluster domain or an extra zone). */
export interface Zone {
  /** The zone's apex, lowercase with the trailing dot. */
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

/** Where a query goes: a served zone (the cluster domain or an extra one), a reverse lookup, or outside (forwarded or REFUSED). */
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
 * Zones is every zone answered from the records: the cluster domain and the extra zones (--zones, the config key's
 * "zones"), each with the cluster zone's TTLs and name server. The extra set is replaced whole on a config change.
 */
export class Zones {
  private extra: readonly Zone[] = [];

  constructor(readonly cluster: Zone) {}

  /** setExtra serves these lowercase FQDNs too, instead of the extra zones before. */
  setExtra(domains: readonly string[]): void {
    const { cluster } = this;
    this.extra = [...new Set(domains)]
      // The cluster domain matches first, so a zone inside it would never be reached.
      .filter((domain) => !isSubdomain(domain, cluster.domain))
      .map((domain) => zoneFor({ ...cluster, domain }))
      // Longest first, so that the first match is the innermost zone.
      .sort((a, b) => b.domain.length - a.domain.length);
  }

  /** extraDomains lists the extra zones served now. */
  get extraDomains(): readonly string[] {
    return this.extra.map((zone) => zone.domain);
  }

  /** match returns the zone holding a lowercase FQDN, the cluster domain first; undefined outside every zone. */
  match(name: string): Zone | undefined {
    if (isSubdomain(name, this.cluster.domain)) return this.cluster;
    for (const zone of this.extra) if (isSubdomain(name, zone.domain)) return zone;
    return undefined;
  }
}

/**
 * routeOf picks the route of a lowercase FQDN: a served zone on label boundaries (v1.2 used a string suffix,
 * bug 10), the reverse zones for PTR only (v1.2 sent every type under ip6.arpa there, bug 11), else external.
 */
export function routeOf(name: string, qtype: string, zones: Zones): Route {
  if (zones.match(name) !== undefined) return "zone";
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
