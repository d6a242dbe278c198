/** Cidr is an IPv4 prefix: its first address as a number and its size. */
export interface Cidr {
  readonly text: string;
  readonly base: number;
  readonly prefixLength: number;
  readonly size: number;
}

/** parseIPv4 reads a dotted quad as an unsigned 32-bit number, or undefined. */
export function parseIPv4(text: string): number | undefined {
  const parts = text.split(".");
  if (parts.length !== 4) return undefined;
  let value = 0;
  for (const part of parts) {
    if (!/^(0|[1-9]\d{0,2})$/.test(part) || Number(part) > 255) return undefined;
    value = value * 256 + Number(part);
  }
  return value;
}

/** formatIPv4 writes a 32-bit number as a dotted quad. */
export function formatIPv4(value: number): string {
  return [24, 16, 8, 0].map((shift) => Math.floor(value / 2 ** shift) % 256).join(".");
}

/** parseCidr reads `10.0.0.0/24`; it throws on anything else, including host bits set. */
export function parseCidr(text: string): Cidr {
  const [address = "", length = ""] = text.trim().split("/");
  const base = parseIPv4(address);
  const prefixLength = /^\d{1,2}$/.test(length) ? Number(length) : Number.NaN;
  if (base === undefined || !(prefixLength >= 1 && prefixLength <= 30)) {
    throw new Error(`invalid CIDR ${JSON.stringify(text)}; write an IPv4 range like 10.0.0.0/24 (prefix 1 to 30)`);
  }
  const size = 2 ** (32 - prefixLength);
  if (base % size !== 0) throw new Error(`invalid CIDR ${JSON.stringify(text)}: host bits are set; did you mean ${formatIPv4(base - (base % size))}/${prefixLength}?`);
  return { text: `${address}/${prefixLength}`, base, prefixLength, size };
}

/** usableRange is the first and last assignable address: the network and broadcast addresses are not. */
export function usableRange(cidr: Cidr): { first: number; last: number } {
  return { first: cidr.base + 1, last: cidr.base + cidr.size - 2 };
}

/** inUsableRange tells whether ip is an assignable address of the range. */
export function inUsableRange(cidr: Cidr, ip: string): boolean {
  const value = parseIPv4(ip);
  const { first, last } = usableRange(cidr);
  return value !== undefined && value >= first && value <= last;
}

/**
 * staticBandSize is how many addresses at the start of a service range dynamic allocation leaves for last, so that
 * fixed cluster IPs (the kube-dns Service's 10.0.0.10) are rarely taken by chance: kube-apiserver's static subrange
 * (KEP-3070): min(max(16, size / 16), 256) addresses, none for a range smaller than 16.
 */
export function staticBandSize(cidr: Cidr): number {
  if (cidr.size < 16) return 0;
  return Math.min(Math.max(16, Math.floor(cidr.size / 16)), 256);
}
