import { answerTypesOf, expandIPv6, hostKindOf, isReverseName, MAX_RECORDS_PER_NAME, nameFor, normalizeName, parseRecord, type SkyDNSRecord } from "@kube-dns/msg";
import type { Wanted } from "./compare.js";

/** QuestionType is a DNS type the doctor asks: one kube2sky's records answer. */
export type QuestionType = "A" | "AAAA" | "SRV" | "PTR" | "CNAME" | "TXT";

/** Question is one DNS question and what etcd says its answer must be: rdata -> the key it comes from. */
export interface Question {
  readonly name: string;
  readonly type: QuestionType;
  /** The API object whose record names this owner name. */
  readonly object: string;
  /** The directory of the name's records (where a record skydns answers but etcd lacks would be). */
  readonly directory: string;
  readonly expected: ReadonlyMap<string, string>;
}

/**
 * questionsFor lists, for every owner name the wanted records have, each type those records (and etcd's at that
 * name) answer, with the answer etcd implies: what skydns serves from the keys one level below the name's directory
 * that parse, the first MAX_RECORDS_PER_NAME by key, as skydns's index caps a name.
 */
export function questionsFor(wanted: ReadonlyMap<string, Wanted>, records: ReadonlyMap<string, string>, prefix: string): Question[] {
  // Each directory once: the API object it belongs to and the types the API implies there.
  const implied = new Map<string, { readonly object: string; readonly types: Set<QuestionType> }>();
  for (const [key, want] of wanted) {
    const directory = parentOf(key);
    const entry = implied.get(directory) ?? { object: want.object, types: new Set<QuestionType>() };
    const parsed = parseRecord(want.value, key);
    if (parsed.ok) for (const type of typesOf(parsed.record, isReverseName(nameFor(directory, prefix)))) entry.types.add(type);
    implied.set(directory, entry);
  }
  const byDirectory = new Map<string, string[]>();
  for (const key of records.keys()) {
    const directory = parentOf(key);
    if (!implied.has(directory)) continue;
    const keys = byDirectory.get(directory);
    if (keys === undefined) byDirectory.set(directory, [key]);
    else keys.push(key);
  }
  const questions: Question[] = [];
  for (const [directory, { object, types }] of implied) {
    const name = nameFor(directory, prefix);
    const reverse = isReverseName(name);
    const expected = new Map<QuestionType, Map<string, string>>();
    const keys = (byDirectory.get(directory) ?? []).sort();
    let served = 0;
    for (const key of keys) {
      if (served === MAX_RECORDS_PER_NAME) break;
      const parsed = parseRecord(records.get(key) ?? "", key);
      if (!parsed.ok) continue;
      served++;
      for (const type of typesOf(parsed.record, reverse)) {
        const rdata = expected.get(type) ?? new Map<string, string>();
        rdata.set(rdataOf(type, parsed.record, nameFor(key, prefix)), key);
        expected.set(type, rdata);
      }
    }
    // A type only the API implies is asked too: skydns must then answer nothing, as etcd holds nothing.
    for (const type of types) if (!expected.has(type)) expected.set(type, new Map());
    for (const [type, rdata] of expected) questions.push({ name, type, object, directory, expected: rdata });
  }
  return questions;
}

function typesOf(record: SkyDNSRecord, reverse: boolean): QuestionType[] {
  return answerTypesOf(record, reverse).filter((type): type is QuestionType => type !== "MX");
}

/** rdataOf renders what one record answers for a type, in the form answerRdata renders a reply's. */
export function rdataOf(type: QuestionType, record: SkyDNSRecord, leafName: string): string {
  switch (type) {
    case "A":
      return record.host;
    case "AAAA":
      return expandIPv6(record.host);
    case "SRV":
      // An address target is answered by the record's own leaf name (msg's answerTypesOf).
      return `${record.port ?? 0} ${hostKindOf(record.host) === "name" ? normalizeName(record.host) : leafName}`;
    case "PTR":
    case "CNAME":
      return normalizeName(record.host);
    case "TXT":
      return record.text ?? "";
  }
}

function parentOf(key: string): string {
  return key.slice(0, key.lastIndexOf("/"));
}
