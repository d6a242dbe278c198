import { readFileSync } from "node:fs";
import { isIP } from "node:net";
import type { HostPort } from "@kube-dns/flagvalues";

/** RESOLV_CONF is where the host's upstream servers are read when --nameservers is empty (as v1.2 did). */
export const RESOLV_CONF = "/etc/resolv.conf";

/** nameserversOf returns the `nameserver` lines of a resolv.conf text as host:53 upstreams. */
export function nameserversOf(text: string): HostPort[] {
  const servers: HostPort[] = [];
  for (const line of text.split("\n")) {
    const [keyword, address] = line.trim().split(/\s+/);
    if (keyword !== "nameserver" || address === undefined) continue;
    const host = address.split("%")[0] ?? address;
    if (isIP(host) !== 0) servers.push({ host, port: 53 });
  }
  return servers;
}

/** readNameservers reads the upstreams of a resolv.conf file; a missing file gives none. */
export function readNameservers(path: string = RESOLV_CONF): HostPort[] {
  return nameserversOf(readText(path));
}

/**
 * searchesOf returns the search domains of a resolv.conf text as lowercase FQDNs: the last `search` or `domain` line
 * wins, as resolv.conf(5) says.
 */
export function searchesOf(text: string): string[] {
  let searches: string[] = [];
  for (const line of text.split("\n")) {
    const [keyword, ...domains] = line.trim().split(/\s+/);
    if (keyword !== "search" && keyword !== "domain") continue;
    searches = domains.filter((domain) => domain !== "" && domain !== ".").map((domain) => domain.toLowerCase().replace(/\.?$/, "."));
  }
  return searches;
}

/** readSearches reads the search domains of a resolv.conf file; a missing file gives none. */
export function readSearches(path: string = RESOLV_CONF): string[] {
  return searchesOf(readText(path));
}

// A resolv.conf that cannot be read says nothing, as an empty one.
function readText(path: string): string {
  try {
    return readFileSync(path, "utf8");
  } catch {
    return "";
  }
}
