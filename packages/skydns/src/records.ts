import type { Answer } from "dns-packet";
import { answerTypesOf, type AnswerType, hostKindOf, nameFor, normalizeName, type SkyDNSRecord } from "@kube-dns/msg";
import type { StoredEntry } from "./index-store.js";
import type { Zone } from "./zone.js";

/** ttlOf is a record's TTL: its own, else the zone default, never under the floor. */
export function ttlOf(record: SkyDNSRecord, zone: Zone): number {
  return Math.max(record.ttl || zone.ttlSeconds, zone.minTtlSeconds);
}

/** targetOf returns a record's host as a lowercase FQDN, or undefined when the host is an address or empty. */
export function targetOf(record: SkyDNSRecord): string | undefined {
  if (record.host === "" || hostKindOf(record.host) !== "name") return undefined;
  return normalizeName(record.host);
}

/** serves tells whether a record answers type for its name (a forward-zone name unless reverse). */
function serves(record: SkyDNSRecord, type: AnswerType, reverse = false): boolean {
  return answerTypesOf(record, reverse).includes(type);
}

/**
 * aliasOf returns the CNAME target of a name's records: only when every record is a CNAME (a bare name: no
 * address, no port, no text, not mail), so that a CNAME never shares its owner with other data (RFC 1034
 * section 3.6.2; v1.2 mixed CNAMEs into A answers, bug 15). The first by key wins when there are several.
 */
export function aliasOf(entries: readonly StoredEntry[]): string | undefined {
  let alias: string | undefined;
  for (const { record } of entries) {
    const types = answerTypesOf(record, false);
    if (types.length !== 1 || types[0] !== "CNAME") return undefined;
    alias ??= targetOf(record);
  }
  return alias;
}

/** addressAnswers returns the A or AAAA records among entries, owned by owner, with one TTL for the RRset. */
export function addressAnswers(owner: string, entries: readonly StoredEntry[], qtype: "A" | "AAAA", zone: Zone): Answer[] {
  const found = entries.filter((e) => serves(e.record, qtype));
  return sameTtl(found.map((e) => ({ name: owner, type: qtype, class: "IN", ttl: ttlOf(e.record, zone), data: e.record.host })));
}

/** SrvTarget is an SRV answer's target, whose addresses go in the additional section. */
export interface SrvAnswers {
  readonly answers: Answer[];
  readonly targets: string[];
}

/**
 * srvAnswers returns SRV records for the entries that carry a port (RFC 2782). A record whose host is an
 * address points at its own leaf name (`<id>.<owner>`), which holds that address.
 */
export function srvAnswers(owner: string, entries: readonly StoredEntry[], zone: Zone, prefix: string): SrvAnswers {
  const answers: Answer[] = [];
  const targets: string[] = [];
  for (const { key, record } of entries) {
    if (!record.port || !serves(record, "SRV")) continue;
    const target = targetOf(record) ?? nameFor(key, prefix);
    if (!targets.includes(target)) targets.push(target);
    answers.push({
      name: owner,
      type: "SRV",
      class: "IN",
      ttl: ttlOf(record, zone),
      data: { priority: record.priority ?? 10, weight: record.weight ?? 10, port: record.port, target },
    });
  }
  return { answers: sameTtl(answers), targets };
}

/** namedAnswers returns PTR (reverse zones) or MX (records marked mail) records for bare-name hosts. */
export function namedAnswers(owner: string, entries: readonly StoredEntry[], qtype: "PTR" | "MX", zone: Zone): Answer[] {
  const found: Answer[] = [];
  for (const { record } of entries) {
    const target = targetOf(record);
    if (target === undefined || !serves(record, qtype, qtype === "PTR")) continue;
    if (qtype === "PTR") found.push({ name: owner, type: "PTR", class: "IN", ttl: ttlOf(record, zone), data: target });
    else found.push({ name: owner, type: "MX", class: "IN", ttl: ttlOf(record, zone), data: { preference: record.priority ?? 10, exchange: target } });
  }
  return sameTtl(found);
}

/** textAnswers returns the TXT records among entries (a `text` field; long texts split in 255-byte strings). */
export function textAnswers(owner: string, entries: readonly StoredEntry[], zone: Zone): Answer[] {
  const answers: Answer[] = [];
  for (const { record } of entries) {
    if (record.text === undefined || !serves(record, "TXT")) continue;
    const bytes = Buffer.from(record.text, "utf8");
    const chunks: Buffer[] = [];
    for (let at = 0; at < bytes.length || chunks.length === 0; at += 255) chunks.push(bytes.subarray(at, at + 255));
    answers.push({ name: owner, type: "TXT", class: "IN", ttl: ttlOf(record, zone), data: chunks });
  }
  return sameTtl(answers);
}

// RFC 2181 section 5.2: the records of one RRset carry one TTL; the lowest wins.
function sameTtl(answers: Answer[]): Answer[] {
  if (answers.length < 2) return answers;
  let ttl = Infinity;
  for (const answer of answers) if ("ttl" in answer && answer.ttl !== undefined) ttl = Math.min(ttl, answer.ttl);
  for (const answer of answers) if ("ttl" in answer) answer.ttl = ttl;
  return answers;
}
