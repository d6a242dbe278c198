import type { Answer } from "dns-packet";
import { isIP } from "node:net";
import { isSubdomain } from "@kube-dns/msg";
import type { IndexStore, StoredEntry } from "./index-store.js";
import { addressAnswers, aliasOf, namedAnswers, srvAnswers, textAnswers, ttlOf } from "./records.js";
import { NOERROR, NXDOMAIN, SERVFAIL } from "./wire.js";
import { soaFor, type Zone } from "./zone.js";

/** Reply is the content of an answer before it is encoded: rcode, sections and what it depends on. */
export interface Reply {
  readonly rcode: number;
  readonly authoritative: boolean;
  readonly answers: readonly Answer[];
  readonly authorities: readonly Answer[];
  readonly additionals: readonly Answer[];
  /** The answers are one A/AAAA RRset that may be served in rotated order. */
  readonly rotate: boolean;
  /** Names whose change makes this reply stale. */
  readonly deps: readonly string[];
  /** The reply carries the SOA serial, which changes with every change to the zone. */
  readonly serialDependent: boolean;
  /** A CNAME target outside the zone, left for the handler to resolve upstream. */
  readonly upstreamTarget: string | undefined;
}

/** AnswerSource is where answerLocal reads: the index and its prefix (for SRV targets of address records). */
export interface AnswerSource {
  readonly store: IndexStore;
  readonly zone: Zone;
  readonly prefix: string;
}

const MAX_CNAME_CHAIN = 8;

/** replyOf builds a Reply with no records and the given rcode. */
export function replyOf(rcode: number, authoritative = false): Reply {
  return { rcode, authoritative, answers: [], authorities: [], additionals: [], rotate: false, deps: [], serialDependent: false, upstreamTarget: undefined };
}

/**
 * answerLocal answers a query for a lowercase FQDN inside the zone or a reverse name from the index. It
 * is pure over the index and never touches the network. The choice between NXDOMAIN and NODATA (both
 * with the SOA in authority, RFC 2308 section 3) is made here and only here.
 */
export function answerLocal(source: AnswerSource, name: string, qtype: string): Reply {
  const { store, zone } = source;
  // Nothing was ever loaded: every answer would be a guess (v1.2 gave NODATA, bug 13).
  if (!store.loaded) return replyOf(SERVFAIL);
  const answers: Answer[] = [];
  const additionals: Answer[] = [];
  const deps = new Set<string>([name]);
  let rcode = NOERROR;
  let upstreamTarget: string | undefined;
  const entries = lookup(source, name);
  const synthesized = name === zone.domain || isSubdomain(zone.nsName, name);
  if (entries.length === 0 && !store.exists(name) && !synthesized) return negative(source, NXDOMAIN, answers, deps);

  if (qtype === "ANY") {
    // RFC 8482 section 4.2: one synthesized HINFO instead of every RRset.
    answers.push({ name, type: "HINFO", class: "IN", ttl: zone.ttlSeconds, data: { cpu: "RFC8482", os: "" } });
  } else if (name === zone.domain && (qtype === "SOA" || qtype === "NS")) {
    if (qtype === "SOA") answers.push(soaFor(zone, store.serial));
    else {
      answers.push({ name, type: "NS", class: "IN", ttl: zone.ttlSeconds, data: zone.nsName });
      additionals.push(...glue(zone, "A"), ...glue(zone, "AAAA"));
    }
  } else if (name === zone.nsName && (qtype === "A" || qtype === "AAAA")) {
    answers.push(...glue(zone, qtype));
  } else {
    let owner = name;
    let current = entries;
    const seen = new Set<string>([name]);
    // A bare name is a CNAME in the zone and a PTR target under the reverse zones.
    let alias = qtype === "CNAME" || !isSubdomain(name, zone.domain) ? undefined : aliasOf(current);
    // Follow CNAMEs inside the zone (RFC 1034 section 3.6.2), at most MAX_CNAME_CHAIN links, never in a loop.
    while (alias !== undefined && seen.size <= MAX_CNAME_CHAIN) {
      answers.push({ name: owner, type: "CNAME", class: "IN", ttl: current[0] ? ttlOf(current[0].record, zone) : zone.ttlSeconds, data: alias });
      if (seen.has(alias)) break; // a loop: the chain as far as it goes, and no data
      seen.add(alias);
      owner = alias;
      if (!isSubdomain(owner, zone.domain)) {
        upstreamTarget = owner;
        break;
      }
      deps.add(owner);
      current = lookup(source, owner);
      if (current.length === 0 && !store.exists(owner)) {
        rcode = NXDOMAIN; // RFC 6604 section 2.1: the rcode speaks of the last name in the chain
        break;
      }
      alias = aliasOf(current);
    }
    if (upstreamTarget === undefined && rcode === NOERROR && (alias === undefined || qtype === "CNAME")) {
      answers.push(...recordsOf(source, owner, current, qtype, additionals, deps));
    }
  }
  const found = answers.some((a) => a.type === qtype || (qtype === "ANY" && a.type === "HINFO"));
  if (!found && upstreamTarget === undefined) return negative(source, rcode, answers, deps);
  const rotate = answers.length > 1 && answers.every((a) => a.type === "A" || a.type === "AAAA");
  return { rcode, authoritative: true, answers, authorities: [], additionals, rotate, deps: [...deps], serialDependent: false, upstreamTarget };
}

function recordsOf(source: AnswerSource, owner: string, entries: readonly StoredEntry[], qtype: string, additionals: Answer[], deps: Set<string>): Answer[] {
  const { zone } = source;
  switch (qtype) {
    case "A":
    case "AAAA":
      return addressAnswers(owner, entries, qtype, zone);
    case "SRV": {
      // The bare service name answers with the SRV records of its `_<port>._<proto>` names, as v1.2 and CoreDNS do.
      const all = entries.concat(source.store.srvBelow(owner));
      const { answers, targets } = srvAnswers(owner, all, zone, source.prefix);
      for (const target of targets) {
        if (!isSubdomain(target, zone.domain)) continue;
        deps.add(target);
        const targetEntries = lookup(source, target);
        additionals.push(...addressAnswers(target, targetEntries, "A", zone), ...addressAnswers(target, targetEntries, "AAAA", zone));
      }
      return answers;
    }
    case "CNAME": {
      const alias = aliasOf(entries);
      return alias === undefined || !entries[0] ? [] : [{ name: owner, type: "CNAME", class: "IN", ttl: ttlOf(entries[0].record, zone), data: alias }];
    }
    case "PTR":
    case "MX":
      return namedAnswers(owner, entries, qtype, zone);
    case "TXT":
      return textAnswers(owner, entries, zone);
    default:
      return [];
  }
}

function negative(source: AnswerSource, rcode: number, answers: Answer[], deps: Set<string>): Reply {
  const authorities = [soaFor(source.zone, source.store.serial)];
  return { rcode, authoritative: true, answers, authorities, additionals: [], rotate: false, deps: [...deps], serialDependent: true, upstreamTarget: undefined };
}

function lookup(source: AnswerSource, name: string): readonly StoredEntry[] {
  const { store, zone } = source;
  if (!zone.wildcards || !isWildcard(name, zone.domain)) return store.recordsAt(name);
  // SkyDNS wildcards: `*` or `any` stands for one label; only names with the same number of labels match.
  const pattern = name.split(".");
  const found: StoredEntry[] = [];
  for (const candidate of store.names()) {
    const labels = candidate.split(".");
    if (labels.length !== pattern.length) continue;
    if (pattern.every((label, i) => label === "*" || label === "any" || label === labels[i])) found.push(...store.recordsAt(candidate));
  }
  return found;
}

/** isWildcard tells whether a name inside domain has a `*` or `any` label below the domain. */
export function isWildcard(name: string, domain: string): boolean {
  const labels = name.slice(0, name.length - domain.length).split(".");
  return labels.includes("*") || labels.includes("any");
}

function glue(zone: Zone, qtype: "A" | "AAAA"): Answer[] {
  const family = qtype === "A" ? 4 : 6;
  return zone.nsAddresses.filter((ip) => isIP(ip) === family).map((ip) => ({ name: zone.nsName, type: qtype, class: "IN" as const, ttl: zone.ttlSeconds, data: ip }));
}
