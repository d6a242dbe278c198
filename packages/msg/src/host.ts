import { isIPv4, isIPv6 } from "node:net";

/** What a record's host holds: an address to answer A/AAAA with, or a name to answer CNAME/SRV targets with. */
export type HostKind = "ipv4" | "ipv6" | "name";

/** hostKindOf classifies a record host; it does not validate names (see parseRecord for that). */
export function hostKindOf(host: string): HostKind {
  if (isIPv4(host)) return "ipv4";
  if (isIPv6(host)) return "ipv6";
  return "name";
}

/**
 * podLabel is the dashed form of a pod IP in pod names (`<label>.<ns>.pod.<zone>`): `10.244.1.5` -> `10-244-1-5`,
 * `fd00::5` -> `fd00--5`. kube2sky names pod records with it and skydns finds a client's pod records by it.
 */
export function podLabel(ip: string): string {
  return ip.toLowerCase().replace(/[.:]/g, "-");
}
