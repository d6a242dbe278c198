import { scanQuestion, wireNameOf } from "./parse.js";
import type { Stats, ZoneIndex } from "./stats.js";
import { assemble, CLASSIC_UDP_SIZE, encodeOpt, type Sections } from "./wire.js";

/**
 * SimpleQuery is a query whose bytes alone say how the handler reads it, so that a reply the handler gave to the
 * same question can be given again: QR clear, opcode QUERY, one question of class IN written without compression,
 * no answer or authority records, and at most one well-formed OPT of EDNS version 0 right after the question.
 */
export interface SimpleQuery {
  /** The question's wire name, lowercased, and its type: the prepared reply's key. */
  readonly key: string;
  readonly qtype: number;
  /** Offset just past the question. */
  readonly questionEnd: number;
  readonly edns: boolean;
}

/** simpleQueryOf reads a query's header and question by hand; undefined when the query is not simple. */
export function simpleQueryOf(msg: Buffer): SimpleQuery | undefined {
  const length = msg.length;
  // QR=0 and opcode 0; QDCOUNT=1; ANCOUNT=NSCOUNT=0; ARCOUNT 0 or 1 (an OPT).
  if (length < 17 || (msg[2]! & 0xf8) !== 0 || msg[4] !== 0 || msg[5] !== 1 || msg[6] !== 0 || msg[7] !== 0) return undefined;
  if (msg[8] !== 0 || msg[9] !== 0 || msg[10] !== 0 || msg[11]! > 1) return undefined;
  const question = scanQuestion(msg);
  if (question === undefined || question.qclass !== 1) return undefined;
  const edns = msg[11] === 1;
  if (edns ? !isPlainOpt(msg, question.end) : question.end !== length) return undefined;
  return { key: msg.toString("latin1", 12, question.end - 4).toLowerCase() + String.fromCharCode(question.qtype), qtype: question.qtype, questionEnd: question.end, edns };
}

// An OPT record right after the question that is the whole rest of the message: owner root, EDNS version 0,
// extended RCODE 0 (RFC 6891 section 6.1.2), and options that exactly fill its RDATA. Its options (cookies,
// padding) need no answer from a server without them.
function isPlainOpt(msg: Buffer, at: number): boolean {
  if (at + 11 > msg.length || msg[at] !== 0 || msg[at + 1] !== 0 || msg[at + 2] !== 41) return false;
  if (msg[at + 5] !== 0 || msg[at + 6] !== 0) return false;
  const end = at + 11 + msg.readUInt16BE(at + 9);
  if (end !== msg.length) return false;
  let option = at + 11;
  while (option + 4 <= end) option += 4 + msg.readUInt16BE(option + 2);
  return option === end;
}

/** The OPT record of a reply to an EDNS query with an RCODE below 16: the one the handler writes. */
export const PLAIN_OPT = encodeOpt(0);

/** PreparedReply is the handler's own encoded reply to one (name, type), kept to be given again. */
export interface PreparedReply {
  readonly rcode: number;
  /** The reply's header flags without RD, which is copied from each query. */
  readonly flags: number;
  /** The encoded records, without an OPT; answers in their first order. */
  readonly sections: Sections;
  /** The answers are an RRset the handler serves in rotated order. */
  readonly rotate: boolean;
  /** The whole reply (ID 0, RD clear, the question as first asked) when it never rotates. */
  readonly whole: Buffer | undefined;
  /** The SOA serial the reply carries, or -1 when it carries none. */
  readonly serial: number;
  /** The names whose change makes the reply stale. */
  readonly deps: readonly string[];
  /** Where the query was answered, for the metrics of each query given this reply. */
  readonly zone: ZoneIndex;
  /** The reply is the search path's (--autopath), counted as such each time it is given. */
  readonly searched: boolean;
}

/** PreparedLimits bound the two tables of prepared replies. */
export interface PreparedLimits {
  /** Replies with answers kept at most; past it, the oldest goes. They exist only for names the index holds. */
  readonly maxAnswers: number;
  /**
   * Denials (NXDOMAIN, NODATA) kept at most; past it, the oldest goes. Any name can be denied, so this table is what
   * a stream of random names fills; it is kept apart so such a stream never pushes out the answers of real names.
   */
  readonly maxDenials: number;
}

interface Entry {
  readonly reply: PreparedReply;
  readonly table: Map<string, Entry>;
}

/**
 * PreparedReplies is a cache of the handler's output, keyed by what the handler read (the lowercased wire name and
 * the type): it decides nothing itself. The handler puts a reply in after answering a simple query from the index,
 * and gives it again for the same question; a watch change drops the replies of the names it touched, and a reply
 * carrying the SOA serial is stale once the serial moves.
 */
export class PreparedReplies {
  private readonly answers = new Map<string, Entry>();
  private readonly denials = new Map<string, Entry>();
  private readonly byName = new Map<string, Set<string>>();

  constructor(
    private readonly limits: PreparedLimits,
    private readonly stats: Stats,
    /** The index's SOA serial now. */
    private readonly serial: () => number,
  ) {}

  /** size is the number of prepared replies held. */
  get size(): number {
    return this.answers.size + this.denials.size;
  }

  /** get returns the prepared reply of a key while it is current; a miss is counted. */
  get(key: string): PreparedReply | undefined {
    const entry = this.answers.get(key) ?? this.denials.get(key);
    if (entry !== undefined && (entry.reply.serial === -1 || entry.reply.serial === this.serial())) {
      this.stats.preparedHits++;
      return entry.reply;
    }
    this.stats.preparedMisses++;
    return undefined;
  }

  /**
   * prepare keeps the handler's reply to a simple query for its key. Only replies that fit 512 bytes with an OPT
   * added are kept, so that giving one again never needs truncation, whatever the client's size. The question's
   * bytes must spell a name the index can hold; others are never kept (their lowercased bytes could collide).
   */
  prepare(msg: Buffer, query: SimpleQuery, reply: Omit<PreparedReply, "whole">): void {
    if (wireNameOf(msg, query.questionEnd) === undefined) return;
    const question = msg.subarray(12, query.questionEnd);
    const { bytes, truncated } = assemble(0, reply.flags, question, reply.sections, CLASSIC_UDP_SIZE - PLAIN_OPT.length);
    const records = [...reply.sections.answers, ...reply.sections.authorities, ...reply.sections.additionals];
    if (truncated || bytes.length !== 12 + question.length + records.reduce((n, b) => n + b.length, 0)) return;
    const table = reply.sections.answers.length > 0 ? this.answers : this.denials;
    const limit = table === this.answers ? this.limits.maxAnswers : this.limits.maxDenials;
    if (limit <= 0) return;
    this.drop(query.key); // a stale reply of the same key goes first
    while (table.size >= limit) {
      // A Map iterates in insertion order: the first key is the oldest entry.
      this.drop(table.keys().next().value as string);
      this.stats.preparedEvictions[table === this.answers ? 0 : 1]! += 1;
    }
    table.set(query.key, { reply: { ...reply, whole: reply.rotate ? undefined : bytes }, table });
    for (const dep of reply.deps) {
      let keys = this.byName.get(dep);
      if (keys === undefined) this.byName.set(dep, (keys = new Set()));
      keys.add(query.key);
    }
  }

  /** invalidate drops the prepared replies that depend on any of names. */
  invalidate(names: Iterable<string>): void {
    for (const name of names) {
      const keys = this.byName.get(name);
      if (keys === undefined) continue;
      for (const key of [...keys]) this.drop(key);
    }
  }

  /** clear drops every prepared reply: a config change may move any name between the zones and forwarding. */
  clear(): void {
    this.answers.clear();
    this.denials.clear();
    this.byName.clear();
  }

  // Forgets one prepared reply and every reference to it, so that nothing outlives an evicted entry.
  private drop(key: string): void {
    const entry = this.answers.get(key) ?? this.denials.get(key);
    if (entry === undefined) return;
    entry.table.delete(key);
    for (const dep of entry.reply.deps) {
      const keys = this.byName.get(dep);
      keys?.delete(key);
      if (keys?.size === 0) this.byName.delete(dep);
    }
  }
}
