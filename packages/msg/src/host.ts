import { isIPv4, isIPv6 } from "node:net";

/** What a record's host holds: an address to answer A/AAAA with, or a name to answer CNAME/SRV targets with. */
export type HostKind = "ipv4" | "ipv6" | "name";

/** hostKindOf classifies a record host; it does not validate names (see parseRecord for that). */
export function hostKindOf(host: string): HostKind {
  if (isIPv4(host)) return "ipv4";
  if (isIPv6(host)) return "ipv6";
  return "name";
}
