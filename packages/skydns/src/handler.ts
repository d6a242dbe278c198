import type { Answer } from "dns-packet";
import { answerLocal, BADVERS, NXDOMAIN, REFUSED, replyOf, SERVFAIL, type AnswerSource, type Reply } from "./answer.js";
import type { Forwarder } from "./forward.js";
import { decode, normalize, type Query } from "./query.js";
import type { Proto } from "./stats.js";
import { AA, assemble, encodeOpt, encodeRecord, QR, RA, RD } from "./wire.js";

/** Handled is the reply to one query, with what the server counts and logs about it. */
export interface Handled {
  readonly bytes: Buffer | undefined;
  readonly rcode: number;
  readonly qtypeCode: number;
  readonly name: string;
  readonly type: string;
  readonly truncated: boolean;
}

/** HandlerOptions are the parts the general query path reads. */
export interface HandlerOptions {
  readonly source: AnswerSource;
  /** Undefined when forwarding is off (--no-rec) or there are no upstreams. */
  readonly forwarder: Forwarder | undefined;
  readonly roundRobin: boolean;
}

/**
 * Handler is the general query path, one straight line (STYLE section 4): decode, normalize, resolve
 * (lookup and build), encode. Only the server writes the bytes it returns.
 */
export class Handler {
  private rotation = 0;

  constructor(private readonly options: HandlerOptions) {}

  /** handle answers one DNS message; it never throws. */
  async handle(msg: Buffer, proto: Proto): Promise<Handled> {
    const decoded = decode(msg);
    if (!decoded.ok) return { bytes: decoded.reply, rcode: decoded.rcode, qtypeCode: 0, name: "", type: "", truncated: false };
    const query = normalize(decoded.packet, msg, proto, this.options.source.zone);
    try {
      return this.encode(query, await this.resolve(query));
    } catch {
      // A fault of ours (or a record dns-packet cannot re-encode) is SERVFAIL, never a dropped query.
      return this.encode(query, replyOf(SERVFAIL));
    }
  }

  private async resolve(query: Query): Promise<Reply> {
    const { source, forwarder } = this.options;
    if (query.badVersion) return replyOf(BADVERS);
    // A class dns-packet has no name for cannot be forwarded faithfully (it would re-encode as 0).
    if (query.qclass.startsWith("UNKNOWN")) return replyOf(REFUSED);
    if (query.route === "zone") {
      // Only class IN is served; zone transfers are not offered.
      if (query.qclass !== "IN" || query.qtype === "AXFR" || query.qtype === "IXFR") return replyOf(REFUSED);
      const reply = answerLocal(source, query.name, query.qtype);
      if (reply.upstreamTarget === undefined || forwarder === undefined) return reply;
      return chaseUpstream(reply, await forwarder.resolve(reply.upstreamTarget, query.qtype, query.qclass));
    }
    if (query.route === "reverse") {
      const reply = answerLocal(source, query.name, query.qtype);
      if (reply.rcode === SERVFAIL || reply.answers.length > 0) return reply;
    }
    if (forwarder === undefined) return replyOf(REFUSED);
    return forwarder.resolve(query.name, query.qtype, query.qclass);
  }

  private encode(query: Query, reply: Reply): Handled {
    const recursion = this.options.forwarder !== undefined;
    const flags = QR | (query.flags & RD) | (reply.authoritative ? AA : 0) | (recursion ? RA : 0) | (reply.rcode & 0xf);
    const sections = {
      answers: this.ordered(reply).map((rr) => encodeRecord(rr, query.name)),
      authorities: reply.authorities.map((rr) => encodeRecord(rr, query.name)),
      additionals: reply.additionals.map((rr) => encodeRecord(rr, query.name)),
      opt: query.edns ? encodeOpt(reply.rcode >> 4) : undefined,
    };
    const { bytes, truncated } = assemble(query.id, flags, query.question, sections, query.maxBytes);
    return { bytes, rcode: reply.rcode, qtypeCode: query.qtypeCode, name: query.rawName, type: query.qtype, truncated };
  }

  private ordered(reply: Reply): readonly Answer[] {
    const answers = reply.answers;
    if (!reply.rotate || !this.options.roundRobin || answers.length < 2) return answers;
    const shift = this.rotation++ % answers.length;
    return [...answers.slice(shift), ...answers.slice(0, shift)];
  }
}

// A CNAME chain that leaves the zone ends upstream: its records for the type asked are appended, and an
// upstream NXDOMAIN becomes the reply's rcode (RFC 6604 section 2.1). An upstream failure leaves the CNAME alone.
function chaseUpstream(reply: Reply, upstream: Reply): Reply {
  if (upstream.rcode !== 0 && upstream.rcode !== NXDOMAIN) return reply;
  return { ...reply, rcode: upstream.rcode, answers: [...reply.answers, ...upstream.answers], upstreamTarget: undefined };
}
