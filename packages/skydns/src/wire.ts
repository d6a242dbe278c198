import dnsPacket, { type Answer } from "dns-packet";

/** Header flag bits (RFC 1035 section 4.1.1). */
export const QR = 0x8000;
export const AA = 0x0400;
export const TC = 0x0200;
export const RD = 0x0100;
export const RA = 0x0080;

/** RCODEs skydns sends (RFC 1035 section 4.1.1; BADVERS is RFC 6891's extended RCODE 16). */
export const NOERROR = 0;
export const FORMERR = 1;
export const SERVFAIL = 2;
export const NXDOMAIN = 3;
export const NOTIMP = 4;
export const REFUSED = 5;
export const BADVERS = 16;

const RCODE_NAMES = ["NOERROR", "FORMERR", "SERVFAIL", "NXDOMAIN", "NOTIMP", "REFUSED", "YXDOMAIN", "YXRRSET", "NXRRSET", "NOTAUTH", "NOTZONE"];

/** rcodeName returns the mnemonic of an RCODE (RFC 6895 section 2.3), or its number. */
export function rcodeName(rcode: number): string {
  return rcode === BADVERS ? "BADVERS" : (RCODE_NAMES[rcode] ?? `RCODE${rcode}`);
}

// The types a cluster DNS server meets (RFC 6895 section 3.1); metrics and logs name them, others are "other".
const TYPE_NAMES: ReadonlyMap<number, string> = new Map([
  [1, "A"], [2, "NS"], [5, "CNAME"], [6, "SOA"], [12, "PTR"], [13, "HINFO"], [15, "MX"], [16, "TXT"], [28, "AAAA"],
  [33, "SRV"], [35, "NAPTR"], [41, "OPT"], [43, "DS"], [48, "DNSKEY"], [64, "SVCB"], [65, "HTTPS"], [251, "IXFR"],
  [252, "AXFR"], [255, "ANY"], [257, "CAA"],
]);

/** typeName returns the mnemonic of a query type, or undefined for one this table does not name. */
export function typeName(qtype: number): string | undefined {
  return TYPE_NAMES.get(qtype);
}

/** Our advertised EDNS0 UDP payload size (the DNS Flag Day 2020 value). */
export const EDNS_UDP_SIZE = 1232;
/** The UDP limit for a client without EDNS0 (RFC 1035 section 4.2.1). */
export const CLASSIC_UDP_SIZE = 512;
/** The TCP message limit (RFC 1035 section 4.2.2: a two-octet length). */
export const TCP_MAX_SIZE = 65535;

/** Sections holds the encoded records of a message, one Buffer per record. */
export interface Sections {
  readonly answers: readonly Buffer[];
  readonly authorities: readonly Buffer[];
  readonly additionals: readonly Buffer[];
  /** The OPT record, kept even when the rest is cut. */
  readonly opt: Buffer | undefined;
}

/**
 * encodeRecord encodes one resource record. An owner equal to qname (both lowercase FQDNs) becomes a
 * pointer to the question (0xC00C), so answers carry the letters of the query's own name.
 */
export function encodeRecord(record: Answer, qname: string): Buffer {
  if (record.name === qname) {
    const bytes = dnsPacket.encode({ answers: [{ ...record, name: "." } as Answer] });
    const out = Buffer.allocUnsafe(bytes.length - 12 + 1);
    out[0] = 0xc0;
    out[1] = 0x0c;
    bytes.copy(out, 2, 13);
    return out;
  }
  return Buffer.from(dnsPacket.encode({ answers: [record] }).subarray(12));
}

/** encodeOpt encodes the OPT pseudo-record of a response (RFC 6891 section 6.1.2); extendedRcode is RCODE >> 4. */
export function encodeOpt(extendedRcode: number): Buffer {
  const opt = { name: ".", type: "OPT", udpPayloadSize: EDNS_UDP_SIZE, extendedRcode, ednsVersion: 0, flags: 0, options: [] };
  return Buffer.from(dnsPacket.encode({ additionals: [opt as unknown as Answer] }).subarray(12));
}

/** Assembled is an encoded message and whether it had to be truncated. */
export interface Assembled {
  readonly bytes: Buffer;
  readonly truncated: boolean;
}

/**
 * assemble writes header, question and sections within maxBytes. When the whole message does not fit, the
 * additional section goes first (RFC 2181 section 9: no TC needed for that); if it still does not fit, TC is
 * set and only the answers that fit are kept, so a client retries over TCP (RFC 7766).
 */
export function assemble(id: number, flags: number, question: Uint8Array, sections: Sections, maxBytes: number): Assembled {
  const fixed = 12 + question.length + (sections.opt?.length ?? 0);
  const sum = (list: readonly Buffer[]): number => list.reduce((total, b) => total + b.length, 0);
  let answers = sections.answers;
  let authorities = sections.authorities;
  let additionals = sections.additionals;
  let truncated = false;
  if (fixed + sum(answers) + sum(authorities) + sum(additionals) > maxBytes) {
    additionals = [];
    if (fixed + sum(answers) + sum(authorities) > maxBytes) {
      truncated = true;
      authorities = [];
      let room = maxBytes - fixed;
      let count = 0;
      while (count < answers.length && answers[count]!.length <= room) room -= answers[count++]!.length;
      answers = answers.slice(0, count);
    }
  }
  const records = [...answers, ...authorities, ...additionals];
  if (sections.opt !== undefined) records.push(sections.opt);
  const out = Buffer.allocUnsafe(fixed + sum(records) - (sections.opt?.length ?? 0));
  out.writeUInt16BE(id, 0);
  out.writeUInt16BE((flags | (truncated ? TC : 0)) & 0xffff, 2);
  out.writeUInt16BE(1, 4);
  out.writeUInt16BE(answers.length, 6);
  out.writeUInt16BE(authorities.length, 8);
  out.writeUInt16BE(additionals.length + (sections.opt === undefined ? 0 : 1), 10);
  out.set(question, 12);
  let at = 12 + question.length;
  for (const record of records) {
    record.copy(out, at);
    at += record.length;
  }
  return { bytes: out, truncated };
}

/** headerOnly encodes a reply without question or records (FORMERR and NOTIMP replies). */
export function headerOnly(id: number, flags: number): Buffer {
  const out = Buffer.alloc(12);
  out.writeUInt16BE(id, 0);
  out.writeUInt16BE(flags & 0xffff, 2);
  return out;
}
