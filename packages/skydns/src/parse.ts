/** WireQuestion locates the question of a query in its bytes. */
export interface WireQuestion {
  /** Offset just past the question's QCLASS. */
  readonly end: number;
  readonly qtype: number;
  readonly qclass: number;
}

const HEADER_BYTES = 12;
const MAX_NAME_OCTETS = 255;

/**
 * scanQuestion walks the first question's name from offset 12 (RFC 1035 section 4.1.2) without decoding it.
 * It returns undefined for a compression pointer, a label over 63 octets, a name over 255 octets or a
 * question cut short; callers then use the general decoder, which answers FORMERR where due.
 */
export function scanQuestion(msg: Uint8Array): WireQuestion | undefined {
  const length = msg.length;
  let at = HEADER_BYTES;
  for (;;) {
    if (at >= length) return undefined;
    const label = msg[at]!;
    if (label === 0) break;
    if (label > 63) return undefined;
    at += label + 1;
    if (at - HEADER_BYTES >= MAX_NAME_OCTETS) return undefined;
  }
  const end = at + 5;
  if (end > length) return undefined;
  return { end, qtype: (msg[at + 1]! << 8) | msg[at + 2]!, qclass: (msg[at + 3]! << 8) | msg[at + 4]! };
}

/**
 * wireNameOf turns the wire name between offset 12 and the root label into a lowercase FQDN, or undefined
 * when a label holds a byte that cannot appear in a name skydns serves (a dot, a space, a non-ASCII byte):
 * replies to such names are never prepared, since their lowercased bytes are not a faithful key.
 */
export function wireNameOf(msg: Uint8Array, questionEnd: number): string | undefined {
  let at = HEADER_BYTES;
  let name = "";
  const nameEnd = questionEnd - 5;
  while (at < nameEnd) {
    const label = msg[at]!;
    for (let i = at + 1; i <= at + label; i++) {
      const byte = msg[i]!;
      const lower = byte >= 0x41 && byte <= 0x5a ? byte | 0x20 : byte;
      const ok = (lower >= 0x61 && lower <= 0x7a) || (lower >= 0x30 && lower <= 0x39) || lower === 0x2d || lower === 0x5f || lower === 0x2a;
      if (!ok) return undefined;
      name += String.fromCharCode(lower);
    }
    name += ".";
    at += label + 1;
  }
  return name === "" ? "." : name;
}

/** questionNameOf spells the question's name as the client wrote it (letter case kept, no trailing dot), for logs. */
export function questionNameOf(msg: Buffer, questionEnd: number): string {
  const labels: string[] = [];
  for (let at = HEADER_BYTES; at < questionEnd - 5 && msg[at]! > 0; at += msg[at]! + 1) labels.push(msg.toString("latin1", at + 1, at + 1 + msg[at]!));
  return labels.length === 0 ? "." : labels.join(".");
}
