import dnsPacket from "dns-packet";

/** RCODEs a fuzzed query may get: it is answered, refused, or found malformed or unsupported; never a failure of ours. */
const ALLOWED_RCODES = new Set([0, 1, 3, 4, 5]);

/** Expectation is what a reply to one message must satisfy. */
export interface Expectation {
  /** The server answers it (a header of 12 bytes or more, QR clear); others are dropped. */
  readonly answered: boolean;
  readonly id: number;
  /** The most bytes the client accepts over UDP: 512, or its EDNS size when it sent a usable OPT. */
  readonly maxBytes: number;
}

/** expectationOf says what skydns must do with a message (RFC 1035 section 4.1.1; RFC 6891 section 6.2.5). */
export function expectationOf(bytes: Buffer): Expectation {
  const answered = bytes.length >= 12 && (bytes[2]! & 0x80) === 0;
  let maxBytes = 512;
  try {
    const packet = dnsPacket.decode(bytes);
    const opt = (packet.additionals ?? []).find((rr) => rr.type === "OPT") as { udpPayloadSize?: number } | undefined;
    if (opt !== undefined) maxBytes = Math.max(512, opt.udpPayloadSize ?? 0);
  } catch {
    // undecodable: a FORMERR header at most
  }
  return { answered, id: bytes.length >= 2 ? bytes.readUInt16BE(0) : -1, maxBytes };
}

/** violationOf checks one reply against its expectation and returns what is wrong with it, or undefined. */
export function violationOf(expected: Expectation, reply: Buffer): string | undefined {
  if (!expected.answered) return "replied to a message it should drop";
  if (reply.length < 12) return `a reply of ${reply.length} bytes`;
  if (reply.readUInt16BE(0) !== expected.id) return `reply ID ${reply.readUInt16BE(0)} for query ID ${expected.id}`;
  if ((reply[2]! & 0x80) === 0) return "a reply without QR";
  if (reply.length > expected.maxBytes) return `a reply of ${reply.length} bytes to a client that takes ${expected.maxBytes}`;
  // BADVERS (16) shows as 0 in the header, its high bits in the reply's OPT (RFC 6891 section 6.1.3): allowed too.
  const rcode = reply[3]! & 0x0f;
  if (!ALLOWED_RCODES.has(rcode)) return `rcode ${rcode}`;
  return undefined;
}
