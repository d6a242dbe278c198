import dnsPacket, { type DecodedPacket } from "dns-packet";
import { scanQuestion } from "./parse.js";
import { PROTO_UDP, type Proto } from "./stats.js";
import { CLASSIC_UDP_SIZE, FORMERR, headerOnly, NOTIMP, QR, RD, TCP_MAX_SIZE } from "./wire.js";
import { routeOf, type Route, type Zone, type Zones } from "./zone.js";

/** Query is one question, normalized once: everything later steps need, computed up front. */
export interface Query {
  readonly id: number;
  /** The query's header flags (RD is copied into the reply). */
  readonly flags: number;
  /** The name as the client wrote it, for logs. */
  readonly rawName: string;
  /** The lowercase FQDN used for every lookup. */
  readonly name: string;
  readonly qtype: string;
  readonly qtypeCode: number;
  readonly qclass: string;
  /** The question section exactly as received (keeps the client's letter case, RFC 4343). */
  readonly question: Uint8Array;
  readonly edns: boolean;
  /** The client's EDNS version is not 0 (answered BADVERS, RFC 6891 section 6.1.3). */
  readonly badVersion: boolean;
  /** The largest reply this client accepts on this transport. */
  readonly maxBytes: number;
  readonly proto: Proto;
  readonly route: Route;
  /** The served zone holding the name; the cluster zone for a name outside every zone. */
  readonly zone: Zone;
}

/** Decoded is a decoded query, or the error reply it gets (undefined: drop it, e.g. a stray response). */
export type Decoded =
  | { readonly ok: true; readonly packet: DecodedPacket; readonly msg: Buffer }
  | { readonly ok: false; readonly reply: Buffer | undefined; readonly rcode: number };

/**
 * decode turns bytes into a packet. Malformed input becomes FORMERR, an opcode other than QUERY becomes
 * NOTIMP (RFC 1035 section 4.1.1); nothing throws past this step.
 */
export function decode(msg: Buffer): Decoded {
  if (msg.length < 12) return { ok: false, reply: undefined, rcode: FORMERR };
  const id = msg.readUInt16BE(0);
  const flags = msg.readUInt16BE(2);
  if ((flags & QR) !== 0) return { ok: false, reply: undefined, rcode: FORMERR };
  const opcodeBits = flags & 0x7800;
  const errorReply = (rcode: number): Decoded => ({ ok: false, reply: headerOnly(id, QR | opcodeBits | (flags & RD) | rcode), rcode });
  if (opcodeBits !== 0) return errorReply(NOTIMP);
  let packet: DecodedPacket;
  try {
    packet = dnsPacket.decode(msg);
  } catch {
    return errorReply(FORMERR);
  }
  const questions = packet.questions ?? [];
  const opts = (packet.additionals ?? []).filter((rr) => rr.type === "OPT");
  const misplacedOpt = [...(packet.answers ?? []), ...(packet.authorities ?? [])].some((rr) => rr.type === "OPT");
  // RFC 6891 section 6.1.1: at most one OPT, in the additional section.
  if (questions.length !== 1 || opts.length > 1 || misplacedOpt || (packet.answers ?? []).length > 0) return errorReply(FORMERR);
  if (typeof questions[0]?.name !== "string") return errorReply(FORMERR);
  return { ok: true, packet, msg };
}

/** normalize builds the Query of a decoded packet: lowercase FQDN, type, EDNS size and route. */
export function normalize(packet: DecodedPacket, msg: Buffer, proto: Proto, zones: Zones): Query {
  const question = packet.questions![0]!;
  const rawName = question.name;
  const name = rawName === "" || rawName === "." ? "." : rawName.toLowerCase().replace(/\.?$/, ".");
  const wire = scanQuestion(msg);
  const questionBytes = wire !== undefined ? msg.subarray(12, wire.end) : dnsPacket.encode({ questions: [question] }).subarray(12);
  const opt = (packet.additionals ?? []).find((rr) => rr.type === "OPT") as { udpPayloadSize?: number; ednsVersion?: number } | undefined;
  const udpBytes = opt === undefined ? CLASSIC_UDP_SIZE : Math.max(CLASSIC_UDP_SIZE, opt.udpPayloadSize ?? 0);
  const qtype = String(question.type);
  return {
    id: packet.id ?? 0,
    flags: packet.flags ?? 0,
    rawName,
    name,
    qtype,
    qtypeCode: wire?.qtype ?? questionBytes.readUInt16BE(questionBytes.length - 4),
    qclass: String(question.class ?? "IN"),
    question: questionBytes,
    edns: opt !== undefined,
    badVersion: opt !== undefined && (opt.ednsVersion ?? 0) > 0,
    maxBytes: proto === PROTO_UDP ? udpBytes : TCP_MAX_SIZE,
    proto,
    route: routeOf(name, qtype, zones),
    zone: zones.match(name) ?? zones.cluster,
  };
}
