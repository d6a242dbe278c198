import type { HostPort } from "@kube-dns/flagvalues";
import { isSubdomain } from "@kube-dns/msg";
import type { DnsConfig } from "./dns-config.js";

/** Upstreams is one set of servers tried in turn, with a key that names the set (it scopes the forward cache). */
export interface Upstreams {
  readonly key: string;
  readonly servers: readonly HostPort[];
}

interface StubRoute {
  readonly domain: string;
  readonly upstreams: Upstreams;
}

/**
 * Routes picks the upstreams of a name outside the served zones: the longest stub domain that holds it, else the
 * config's nameservers, else the flags' (or resolv.conf's). It is built once per config change, so a query only walks
 * a short list and allocates nothing.
 */
export class Routes {
  private stubs: readonly StubRoute[] = [];
  private general: Upstreams | undefined;

  constructor(private readonly defaults: readonly HostPort[]) {
    this.general = upstreamsOf(defaults);
  }

  /** apply replaces the stub domains and nameservers with a config's (NO_DNS_CONFIG: the flags' again). */
  apply(config: DnsConfig): void {
    this.general = upstreamsOf(config.nameservers ?? this.defaults);
    // Longest domain first, so that the first match is the longest suffix.
    this.stubs = config.stubDomains
      .map((stub) => ({ domain: stub.domain, upstreams: upstreamsOf(stub.upstreams)! }))
      .sort((a, b) => b.domain.length - a.domain.length);
  }

  /** any tells whether some name has upstreams: recursion is available. */
  get any(): boolean {
    return this.general !== undefined || this.stubs.length > 0;
  }

  /** upstreamsFor returns the upstreams of a lowercase FQDN, or undefined when none serve it. */
  upstreamsFor(name: string): Upstreams | undefined {
    for (const stub of this.stubs) if (isSubdomain(name, stub.domain)) return stub.upstreams;
    return this.general;
  }
}

function upstreamsOf(servers: readonly HostPort[]): Upstreams | undefined {
  if (servers.length === 0) return undefined;
  return Object.freeze({ key: servers.map((s) => `${s.host}:${s.port}`).join(","), servers: Object.freeze([...servers]) });
}
