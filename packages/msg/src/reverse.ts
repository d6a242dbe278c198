import { isIPv4, isIPv6 } from "node:net";
import { isSubdomain } from "./name.js";

/** The reverse zones of RFC 1035 section 3.5 (IPv4) and RFC 3596 section 2.5 (IPv6). */
export const IN_ADDR_ARPA = "in-addr.arpa.";
export const IP6_ARPA = "ip6.arpa.";

/** isReverseName tells whether a lowercase FQDN lies under in-addr.arpa. or ip6.arpa. (the zones PTRs live in). */
export function isReverseName(name: string): boolean {
  return isSubdomain(name, IN_ADDR_ARPA) || isSubdomain(name, IP6_ARPA);
}

/**
 * reverseNameFor returns the PTR owner name of an address: `10.0.0.10` -> `10.0.0.10.in-addr.arpa.`,
 * an IPv6 address -> its 32 nibbles, fully expanded and reversed, under `ip6.arpa.`.
 * It throws for anything that is not an IP address.
 */
export function reverseNameFor(ip: string): string {
  if (isIPv4(ip)) return `${ip.split(".").reverse().join(".")}.${IN_ADDR_ARPA}`;
  if (isIPv6(ip)) return `${expandIPv6(ip).split("").reverse().join(".")}.${IP6_ARPA}`;
  throw new Error(`not an IP address: ${JSON.stringify(ip)}`);
}

/**
 * addressForReverseName is the inverse of reverseNameFor for complete names; it returns undefined for a
 * name that is not a full reverse name (a partial zone such as `0.10.in-addr.arpa.`, or a stray label).
 */
export function addressForReverseName(name: string): string | undefined {
  const lower = name.toLowerCase();
  if (lower.endsWith("." + IN_ADDR_ARPA)) {
    const octets = lower.slice(0, -(IN_ADDR_ARPA.length + 1)).split(".");
    if (octets.length !== 4 || !octets.every((o) => /^(0|[1-9][0-9]{0,2})$/.test(o) && Number(o) <= 255)) return undefined;
    return octets.reverse().join(".");
  }
  if (lower.endsWith("." + IP6_ARPA)) {
    const nibbles = lower.slice(0, -(IP6_ARPA.length + 1)).split(".");
    if (nibbles.length !== 32 || !nibbles.every((n) => /^[0-9a-f]$/.test(n))) return undefined;
    const hex = nibbles.reverse().join("");
    const groups: string[] = [];
    for (let i = 0; i < 32; i += 4) groups.push(hex.slice(i, i + 4).replace(/^0{1,3}/, ""));
    return compressIPv6(groups);
  }
  return undefined;
}

/** expandIPv6 returns the 32 hex digits of an IPv6 address, embedded IPv4 included. */
export function expandIPv6(ip: string): string {
  let text = ip.toLowerCase();
  const zone = text.indexOf("%");
  if (zone >= 0) text = text.slice(0, zone);
  const lastColon = text.lastIndexOf(":");
  const tail = text.slice(lastColon + 1);
  if (isIPv4(tail)) {
    const [a, b, c, d] = tail.split(".").map(Number) as [number, number, number, number];
    text = `${text.slice(0, lastColon + 1)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head, rest] = text.split("::") as [string, string | undefined];
  const headGroups = head === "" ? [] : head.split(":");
  const restGroups = rest === undefined || rest === "" ? [] : rest.split(":");
  const missing = 8 - headGroups.length - restGroups.length;
  const groups = rest === undefined ? headGroups : [...headGroups, ...Array<string>(missing).fill("0"), ...restGroups];
  return groups.map((g) => g.padStart(4, "0")).join("");
}

// RFC 5952 section 4.2: the longest run (of two or more) of zero groups becomes `::`, the first on a tie.
function compressIPv6(groups: string[]): string {
  const normalized = groups.map((g) => (g === "" ? "0" : g));
  let bestStart = -1;
  let bestLength = 1;
  for (let i = 0; i < 8; ) {
    if (normalized[i] !== "0") {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && normalized[j] === "0") j++;
    if (j - i > bestLength) {
      bestStart = i;
      bestLength = j - i;
    }
    i = j;
  }
  if (bestStart < 0) return normalized.join(":");
  const left = normalized.slice(0, bestStart).join(":");
  const right = normalized.slice(bestStart + bestLength).join(":");
  return `${left}::${right}`;
}
