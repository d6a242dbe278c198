import { answerLocal, isWildcard, type AnswerSource, type Reply } from "./answer.js";
import { scanQuestion, wireNameOf } from "./parse.js";
import { PROTO_UDP, type Stats } from "./stats.js";
import { AA, assemble, CLASSIC_UDP_SIZE, encodeOpt, encodeRecord, QR, RA } from "./wire.js";
import { routeOf } from "./zone.js";

/** Prepared holds the ready reply bytes of one (name, type), in up to MAX_ROTATIONS answer orders. */
interface Prepared {
  readonly templates: readonly Buffer[];
  next: number;
  /** The SOA serial the bytes carry, or -1 when they carry none. */
  readonly serial: number;
  /** The names whose change makes the bytes stale. */
  readonly deps: readonly string[];
  /** Which table holds it: replies with answers, or denials (NXDOMAIN, NODATA). */
  readonly table: Map<string, Prepared>;
}

/** FastPathOptions are what the fast path answers from. */
export interface FastPathOptions {
  readonly source: AnswerSource;
  readonly stats: Stats;
  readonly recursionAvailable: boolean;
  readonly roundRobin: boolean;
  /** Replies with answers kept at most; past it, the oldest goes. They exist only for names the index holds. */
  readonly maxAnswers: number;
  /**
   * Denials (NXDOMAIN, NODATA) kept at most; past it, the oldest goes. Any name can be denied, so this table is what
   * a stream of random names fills; it is kept apart so such a stream never pushes out the answers of real names.
   */
  readonly maxDenials: number;
}

const MAX_ROTATIONS = 8;
/** The OPT record of a fast-path reply to an EDNS query: the same one the general path writes. */
const OPT_RR = encodeOpt(0);
// Types whose in-zone answers are prepared: A, NS, CNAME, SOA, PTR, MX, TXT, AAAA, SRV.
const TYPE_NAMES: ReadonlyMap<number, string> = new Map([
  [1, "A"], [2, "NS"], [5, "CNAME"], [6, "SOA"], [12, "PTR"], [15, "MX"], [16, "TXT"], [28, "AAAA"], [33, "SRV"],
]);

/**
 * FastPath answers the common UDP queries without decoding or encoding: it checks the header by hand (one
 * question, class IN, opcode QUERY, no EDNS or EDNS version 0), looks the lowercased wire name and type up in a
 * Map of prepared replies, and copies the bytes with the query's ID, RD bit and question (its letter case)
 * patched in, plus an OPT for an EDNS query. Anything else returns undefined and goes to the general Handler. Prepared replies are built with the
 * same answerLocal and encoder as the general path, and dropped per name when the watch changes it.
 */
export class FastPath {
  private readonly answers = new Map<string, Prepared>();
  private readonly denials = new Map<string, Prepared>();
  private readonly byName = new Map<string, Set<string>>();

  constructor(private readonly options: FastPathOptions) {}

  /** size is the number of prepared replies. */
  get size(): number {
    return this.answers.size + this.denials.size;
  }

  /** reply returns the reply bytes for a UDP query, or undefined when the general path must answer it. */
  reply(msg: Buffer): Buffer | undefined {
    const length = msg.length;
    // QR=0, opcode 0, QDCOUNT=1, ANCOUNT=NSCOUNT=0, ARCOUNT=0 or 1 (an OPT).
    if (length < 17 || (msg[2]! & 0xf8) !== 0 || msg[4] !== 0 || msg[5] !== 1 || msg[6] !== 0 || msg[7] !== 0) return undefined;
    if (msg[8] !== 0 || msg[9] !== 0 || msg[10] !== 0 || msg[11]! > 1) return undefined;
    const question = scanQuestion(msg);
    if (question === undefined || question.qclass !== 1) return undefined;
    const edns = msg[11] === 1;
    if (edns ? !isPlainOpt(msg, question.end) : question.end !== length) return undefined;
    const key = msg.toString("latin1", 12, question.end - 4).toLowerCase() + String.fromCharCode(question.qtype);
    let entry = this.answers.get(key) ?? this.denials.get(key);
    if (entry !== undefined && entry.serial !== -1 && entry.serial !== this.options.source.store.serial) entry = undefined;
    if (entry === undefined) {
      this.options.stats.fastpathMisses++;
      entry = this.prepare(key, msg, question.end, question.qtype);
      if (entry === undefined) return undefined;
    } else {
      this.options.stats.fastpathHits++;
    }
    const templates = entry.templates;
    const template = templates.length === 1 ? templates[0]! : templates[entry.next++ % templates.length]!;
    const out = Buffer.allocUnsafe(template.length + (edns ? OPT_RR.length : 0));
    template.copy(out);
    out[0] = msg[0]!;
    out[1] = msg[1]!;
    out[2] = template[2]! | (msg[2]! & 0x01);
    msg.copy(out, 12, 12, question.end);
    if (edns) {
      // Every template fits 512 bytes, which any EDNS client accepts; the OPT goes last (RFC 6891 section 6.1.1).
      out.writeUInt16BE(template.readUInt16BE(10) + 1, 10);
      OPT_RR.copy(out, template.length);
    }
    this.options.stats.countRequest(PROTO_UDP, question.qtype);
    this.options.stats.countResponse(template[3]! & 0x0f);
    return out;
  }

  /** invalidate drops the prepared replies that depend on any of names. */
  invalidate(names: Iterable<string>): void {
    for (const name of names) {
      const keys = this.byName.get(name);
      if (keys === undefined) continue;
      for (const key of [...keys]) this.drop(key);
    }
  }

  // Forgets one prepared reply and every reference to it, so that nothing outlives an evicted entry.
  private drop(key: string): void {
    const entry = this.answers.get(key) ?? this.denials.get(key);
    if (entry === undefined) return;
    entry.table.delete(key);
    for (const dep of entry.deps) {
      const keys = this.byName.get(dep);
      keys?.delete(key);
      if (keys?.size === 0) this.byName.delete(dep);
    }
  }

  private prepare(key: string, msg: Buffer, questionEnd: number, qtype: number): Prepared | undefined {
    const { source } = this.options;
    const type = TYPE_NAMES.get(qtype);
    const name = wireNameOf(msg, questionEnd);
    if (type === undefined || name === undefined || !source.store.loaded) return undefined;
    const route = routeOf(name, type, source.zone);
    if (route === "external" || (source.zone.wildcards && route === "zone" && isWildcard(name, source.zone.domain))) return undefined;
    const reply = answerLocal(source, name, type);
    if (reply.upstreamTarget !== undefined || (route === "reverse" && reply.answers.length === 0)) return undefined;
    const templates = this.templatesOf(reply, name, msg.subarray(12, questionEnd));
    if (templates === undefined) return undefined;
    const table = reply.answers.length > 0 ? this.answers : this.denials;
    const limit = table === this.answers ? this.options.maxAnswers : this.options.maxDenials;
    if (limit <= 0) return undefined;
    this.drop(key); // a stale entry of the same key (serial moved) goes first
    while (table.size >= limit) {
      // A Map iterates in insertion order: the first key is the oldest entry.
      this.drop(table.keys().next().value as string);
      this.options.stats.fastpathEvictions[table === this.answers ? 0 : 1]! += 1;
    }
    const entry: Prepared = { templates, next: 0, serial: reply.serialDependent ? source.store.serial : -1, deps: reply.deps, table };
    table.set(key, entry);
    for (const dep of reply.deps) {
      let keys = this.byName.get(dep);
      if (keys === undefined) this.byName.set(dep, (keys = new Set()));
      keys.add(key);
    }
    return entry;
  }

  // One template per rotation of a round-robin RRset; none when a reply would not fit in 512 bytes.
  private templatesOf(reply: Reply, name: string, question: Buffer): Buffer[] | undefined {
    const flags = QR | AA | (this.options.recursionAvailable ? RA : 0) | (reply.rcode & 0xf);
    const answers = reply.answers.map((rr) => encodeRecord(rr, name));
    const authorities = reply.authorities.map((rr) => encodeRecord(rr, name));
    const additionals = reply.additionals.map((rr) => encodeRecord(rr, name));
    const rotations = reply.rotate && this.options.roundRobin ? Math.min(answers.length, MAX_ROTATIONS) : 1;
    const templates: Buffer[] = [];
    for (let shift = 0; shift < rotations; shift++) {
      const ordered = [...answers.slice(shift), ...answers.slice(0, shift)];
      const sections = { answers: ordered, authorities, additionals, opt: undefined };
      const { bytes, truncated } = assemble(0, flags, question, sections, CLASSIC_UDP_SIZE);
      // A reply that lost records to the size limit is left to the general path (TC, or additional dropped).
      const complete = bytes.length === 12 + question.length + [...answers, ...authorities, ...additionals].reduce((n, b) => n + b.length, 0);
      if (truncated || !complete) return undefined;
      templates.push(bytes);
    }
    return templates;
  }
}

// An OPT record right after the question that is the whole rest of the message, EDNS version 0, extended
// RCODE 0 (RFC 6891 section 6.1.2). Its options (cookies, padding) need no answer from a server without them.
function isPlainOpt(msg: Buffer, at: number): boolean {
  if (at + 11 > msg.length || msg[at] !== 0 || msg[at + 1] !== 0 || msg[at + 2] !== 41) return false;
  if (msg[at + 5] !== 0 || msg[at + 6] !== 0) return false;
  return at + 11 + msg.readUInt16BE(at + 9) === msg.length;
}
