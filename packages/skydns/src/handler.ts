import { answerLocal, isWildcard, replyOf, type AnswerSource, type Reply } from "./answer.js";
import type { Autopath } from "./autopath.js";
import type { Forwarder } from "./forward.js";
import { PLAIN_OPT, type PreparedReplies, type PreparedReply, simpleQueryOf, type SimpleQuery } from "./prepared.js";
import { decode, normalize, type Query } from "./query.js";
import { type Proto, WRITER_ETCD, WRITER_FORWARD, WRITER_SERVER, type Writer, ZONE_DOMAIN, ZONE_DROPPED, ZONE_ROOT, type ZoneIndex } from "./stats.js";
import { routeOf, Zones } from "./zone.js";
import { AA, assemble, BADVERS, CLASSIC_UDP_SIZE, encodeOpt, encodeRecord, NOERROR, NXDOMAIN, QR, RA, RD, REFUSED, SERVFAIL, typeName, type Sections } from "./wire.js";

/** Handled is the reply to one query, with what the server counts and logs about it. */
export interface Handled {
  readonly bytes: Buffer | undefined;
  readonly rcode: number;
  readonly qtypeCode: number;
  /** The name as asked; undefined for a prepared reply, whose name is read from the query's bytes only when logged. */
  readonly name: string | undefined;
  readonly type: string;
  readonly truncated: boolean;
  /** The reply was a prepared one, given again. */
  readonly prepared: boolean;
  /** Where the query was answered: the cluster domain, elsewhere, or dropped before that was known. */
  readonly zone: ZoneIndex;
  /** Who wrote the reply: the records, the forwarder, or the server itself (an error). */
  readonly writer: Writer;
  /** The reply is the search path's (--autopath): a name of the client's search path answered it. */
  readonly searched: boolean;
}

/** HandlerOptions are the parts the query path reads. */
export interface HandlerOptions {
  readonly source: AnswerSource;
  /** Undefined when forwarding is off (--no-rec). */
  readonly forwarder: Forwarder | undefined;
  /** The zones answered from the records; the source's zone alone when not given. */
  readonly zones?: Zones;
  readonly roundRobin: boolean;
  /** The cache of the handler's own replies; undefined answers every query in full. */
  readonly prepared: PreparedReplies | undefined;
  /** The server-side search path (--autopath); undefined answers every query plainly. */
  readonly autopath?: Autopath | undefined;
}

// What resolve found: the reply, whether it came from the index alone (and so may be prepared), and who wrote it.
interface Resolved {
  readonly reply: Reply;
  readonly local: boolean;
  readonly writer: Writer;
  /** The search path found the answer (--autopath). */
  readonly searched?: boolean;
}

/**
 * Search is the search path of a query: its names (--autopath completes it), undefined (answered plainly), or the
 * client's address when it is decided only once the query is decoded ("" for a client of unknown address).
 */
type Search = readonly string[] | string | undefined;

/** A prepared reply of the search path is kept under its query's key with this appended, apart from the plain one. */
const SEARCHED_KEY = "+";

const serverError = (rcode: number): Resolved => ({ reply: replyOf(rcode), local: false, writer: WRITER_SERVER });

/**
 * Handler is the query path, one entry point and one straight line (STYLE section 4). A simple query whose reply is
 * prepared gets it again; any other goes decode -> normalize -> resolve (lookup and build) -> encode, and a reply
 * from the index alone is then prepared for the next time. Both ways share the header flags, the one round-robin
 * rotation and the encoder, so a prepared reply is byte for byte what the full path would write. Only the server
 * writes the bytes it returns.
 */
export class Handler {
  private rotation = 0;
  private readonly zones: Zones;

  constructor(private readonly options: HandlerOptions) {
    this.zones = options.zones ?? new Zones(options.source.zone);
  }

  /**
   * answer answers one DNS message (UDP or TCP) from clientAddress: at once from a prepared reply, else in full. It
   * never throws. With --autopath, a query the client's search path may complete is decided here, before the
   * prepared replies are read, and its replies are kept under a key of their own: a client answered plainly never
   * gets a searched reply, nor the other way round.
   */
  answer(msg: Buffer, proto: Proto, clientAddress?: string): Handled | Promise<Handled> {
    let simple = simpleQueryOf(msg);
    let search: Search = undefined;
    if (this.options.autopath !== undefined) {
      search = simple === undefined ? clientAddress ?? "" : this.options.autopath.searchForWire(msg, simple.key, simple.questionEnd, clientAddress);
      if (typeof search === "object" && simple !== undefined) simple = { ...simple, key: simple.key + SEARCHED_KEY };
    }
    const prepared = simple === undefined ? undefined : this.options.prepared?.get(simple.key);
    if (simple !== undefined && prepared !== undefined) return this.again(msg, simple, prepared);
    return this.handle(msg, proto, simple, search);
  }

  // A prepared reply with this query's ID, RD bit and question (its letter case), and an OPT for an EDNS query.
  private again(msg: Buffer, query: SimpleQuery, prepared: PreparedReply): Handled {
    const rd = msg.readUInt16BE(2) & RD;
    const question = msg.subarray(12, query.questionEnd);
    const opt = query.edns ? PLAIN_OPT : undefined;
    let bytes: Buffer;
    if (prepared.whole === undefined) {
      const sections = { ...prepared.sections, answers: this.rotated(prepared.sections.answers), opt };
      bytes = assemble(msg.readUInt16BE(0), prepared.flags | rd, question, sections, CLASSIC_UDP_SIZE).bytes;
    } else {
      const whole = prepared.whole;
      bytes = Buffer.allocUnsafe(whole.length + (opt?.length ?? 0));
      whole.copy(bytes);
      bytes[0] = msg[0]!;
      bytes[1] = msg[1]!;
      bytes[2] = whole[2]! | (rd >> 8);
      question.copy(bytes, 12);
      if (opt !== undefined) {
        // The OPT goes last (RFC 6891 section 6.1.1), as the encoder puts it.
        bytes.writeUInt16BE(whole.readUInt16BE(10) + 1, 10);
        opt.copy(bytes, whole.length);
      }
    }
    return {
      bytes, rcode: prepared.rcode, qtypeCode: query.qtype, name: undefined, type: typeName(query.qtype) ?? String(query.qtype),
      truncated: false, prepared: true, zone: prepared.zone, writer: WRITER_ETCD, searched: prepared.searched,
    };
  }

  private async handle(msg: Buffer, proto: Proto, simple: SimpleQuery | undefined, search: Search): Promise<Handled> {
    const decoded = decode(msg);
    if (!decoded.ok) {
      return { bytes: decoded.reply, rcode: decoded.rcode, qtypeCode: 0, name: "", type: "", truncated: false, prepared: false, zone: ZONE_DROPPED, writer: WRITER_SERVER, searched: false };
    }
    const query = normalize(decoded.packet, msg, proto, this.zones);
    // A query that is not simple is never prepared: its search path is decided now, from its decoded name.
    const names = typeof search === "string" ? this.options.autopath?.searchFor(query.name, search || undefined) : search;
    let resolved: Resolved;
    try {
      resolved = names === undefined || query.qclass !== "IN" ? await this.resolve(query) : await this.searched(query, names);
    } catch {
      // A fault of ours (or a record dns-packet cannot re-encode) is SERVFAIL, never a dropped query.
      resolved = serverError(SERVFAIL);
    }
    const { reply } = resolved;
    const flags = QR | (reply.authoritative ? AA : 0) | (this.options.forwarder?.available === true ? RA : 0) | (reply.rcode & 0xf);
    const sections: Sections = {
      answers: reply.answers.map((rr) => encodeRecord(rr, query.name)),
      authorities: reply.authorities.map((rr) => encodeRecord(rr, query.name)),
      additionals: reply.additionals.map((rr) => encodeRecord(rr, query.name)),
      opt: undefined,
    };
    const rotate = reply.rotate && this.options.roundRobin && sections.answers.length > 1;
    const ordered = { ...sections, answers: rotate ? this.rotated(sections.answers) : sections.answers, opt: query.edns ? encodeOpt(reply.rcode >> 4) : undefined };
    const { bytes, truncated } = assemble(query.id, flags | (query.flags & RD), query.question, ordered, query.maxBytes);
    const zone = query.route === "zone" ? ZONE_DOMAIN : ZONE_ROOT;
    if (simple !== undefined && this.preparable(query, resolved)) {
      const serial = reply.serialDependent ? this.options.source.store.serial : -1;
      this.options.prepared?.prepare(msg, simple, { rcode: reply.rcode, flags, sections, rotate, serial, deps: reply.deps, zone, searched: resolved.searched === true });
    }
    return {
      bytes, rcode: reply.rcode, qtypeCode: query.qtypeCode, name: query.rawName, type: typeName(query.qtypeCode) ?? query.qtype,
      truncated, prepared: false, zone, writer: resolved.writer, searched: resolved.searched === true,
    };
  }

  /**
   * searched answers from the first name of the search path that exists (the name asked first), prefixed with a
   * CNAME from the name asked to it. A name that does not exist is passed over; an error (SERVFAIL, REFUSED) ends the
   * walk; when no name exists or the walk ended, the reply is the plain one to the name asked, and the client walks
   * its search path itself. The reply depends on every name tried, which are its dependencies.
   */
  private async searched(query: Query, names: readonly string[]): Promise<Resolved> {
    let plain: Resolved | undefined;
    let local = true;
    const deps = new Set<string>();
    for (const name of names) {
      const resolved = await this.resolve(name === query.name ? query : { ...query, name, route: routeOf(name, query.qtype, this.zones), zone: this.zones.match(name) ?? this.zones.cluster });
      plain ??= resolved;
      local &&= resolved.local;
      for (const dep of resolved.reply.deps) deps.add(dep);
      const { reply } = resolved;
      if (reply.rcode === NXDOMAIN) continue;
      if (reply.rcode !== NOERROR) break;
      // CoreDNS's autopath counts the name asked found too: its success counter counts queries the walk answered.
      if (name === query.name) return { ...resolved, reply: { ...reply, deps: [...deps] }, searched: true };
      const ttl = reply.answers[0] !== undefined && "ttl" in reply.answers[0] && reply.answers[0].ttl !== undefined ? reply.answers[0].ttl : query.zone.ttlSeconds;
      const alias = { name: query.name, type: "CNAME" as const, class: "IN" as const, ttl, data: name };
      return { reply: { ...reply, answers: [alias, ...reply.answers], rotate: false, deps: [...deps] }, local, writer: resolved.writer, searched: true };
    }
    return { ...plain!, reply: { ...plain!.reply, deps: [...deps] }, local };
  }

  private async resolve(query: Query): Promise<Resolved> {
    const { source, forwarder } = this.options;
    if (query.badVersion) return serverError(BADVERS);
    // A class dns-packet has no name for cannot be forwarded faithfully (it would re-encode as 0).
    if (query.qclass.startsWith("UNKNOWN")) return serverError(REFUSED);
    if (query.route === "zone") {
      // Only class IN is served; zone transfers are not offered.
      if (query.qclass !== "IN" || query.qtype === "AXFR" || query.qtype === "IXFR") return serverError(REFUSED);
      // An extra zone is answered like the cluster domain, with its own apex and SOA.
      const reply = answerLocal(query.zone === source.zone ? source : { ...source, zone: query.zone }, query.name, query.qtype);
      const target = reply.upstreamTarget;
      if (target === undefined) return { reply, local: true, writer: WRITER_ETCD };
      // The target goes where a query for it would (a stub domain included), but a served zone's name is never forwarded.
      const pending = this.zones.match(target) === undefined ? forwarder?.resolve(target, query.qtype, query.qclass) : undefined;
      if (pending === undefined) return { reply, local: false, writer: WRITER_ETCD };
      return { reply: chaseUpstream(reply, await pending), local: false, writer: WRITER_ETCD };
    }
    if (query.route === "reverse") {
      const reply = answerLocal(source, query.name, query.qtype);
      if (reply.rcode === SERVFAIL || reply.answers.length > 0) return { reply, local: reply.answers.length > 0, writer: WRITER_ETCD };
    }
    const pending = forwarder?.resolve(query.name, query.qtype, query.qclass);
    if (pending === undefined) return serverError(REFUSED);
    return { reply: await pending, local: false, writer: WRITER_FORWARD };
  }

  // A reply may be given again when the index alone made it and nothing but the name and type decided it: not a
  // wildcard match (any new name could change it), not an error.
  private preparable(query: Query, resolved: Resolved): boolean {
    const { zone } = query;
    if (!resolved.local || (resolved.reply.rcode !== NOERROR && resolved.reply.rcode !== NXDOMAIN)) return false;
    return !(zone.wildcards && query.route === "zone" && isWildcard(query.name, zone.domain));
  }

  // Round robin over an RRset: one rotation for every reply, prepared or not.
  private rotated(answers: readonly Buffer[]): readonly Buffer[] {
    if (!this.options.roundRobin || answers.length < 2) return answers;
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
