import type { DecodedPacket, RecordType } from "dns-packet";
import { expect } from "vitest";
import { canonicalOf, canonicalText } from "./rr-text.js";

/** Sections are what a case expects in a reply, records written as the peer writes them. */
export interface Sections {
  readonly rcode: string;
  readonly answer?: readonly string[];
  readonly ns?: readonly string[];
  readonly extra?: readonly string[];
}

/**
 * PeerCase is one case of a peer's test suite, ported as data: the question and the answer the peer expects, and,
 * where kube-dns answers otherwise on purpose, what it answers and why. Anything `ours` does not say is the peer's.
 */
export interface PeerCase extends Sections {
  /** The peer's table or section the case comes from, within the source file its data file names. */
  readonly from: string;
  readonly qname: string;
  readonly qtype: RecordType;
  readonly ours?: Partial<Sections> & {
    /** The same question asked of kube-dns's own name for the thing (an endpoint's identifier, say). */
    readonly qname?: string;
    readonly why: string;
  };
}

/** Match is how a reply is held to a case: every section exactly (CoreDNS's SortAndCheck), or the expected records among the reply's (the spec's "must exist"). */
export type Match = "exact" | "subset";

/** Query asks kube-dns one question. */
export type Query = (name: string, type: RecordType) => Promise<DecodedPacket>;

const RCODES = ["NOERROR", "FORMERR", "SERVFAIL", "NXDOMAIN", "NOTIMP", "REFUSED"];

/** title names a case in the test report: its question, and that it differs when it does. */
export function title(c: PeerCase): string {
  return `${c.from}: ${c.qname} ${c.qtype}${c.ours === undefined ? "" : ` (kube-dns differs: ${c.ours.why})`}`;
}

/** check asks the case's question and holds the reply to what the case expects of kube-dns, ignoring TTLs and order. */
export async function check(query: Query, c: PeerCase, match: Match): Promise<void> {
  const want: Sections = { ...c, ...c.ours };
  const reply = await query(c.ours?.qname ?? c.qname, c.qtype);
  const got = {
    rcode: RCODES[(reply.flags ?? 0) & 0xf] ?? String((reply.flags ?? 0) & 0xf),
    answer: (reply.answers ?? []).map(canonicalOf).sort(),
    ns: (reply.authorities ?? []).map(canonicalOf).sort(),
    extra: (reply.additionals ?? []).filter((r) => r.type !== "OPT").map(canonicalOf).sort(),
  };
  const expected = {
    rcode: want.rcode,
    answer: (want.answer ?? []).map(canonicalText).sort(),
    ns: (want.ns ?? []).map(canonicalText).sort(),
    extra: (want.extra ?? []).map(canonicalText).sort(),
  };
  if (match === "exact") {
    expect(got).toEqual(expected);
    return;
  }
  expect(got.rcode).toBe(expected.rcode);
  expect(got.answer).toEqual(expect.arrayContaining(expected.answer));
  expect(got.ns).toEqual(expect.arrayContaining(expected.ns));
  expect(got.extra).toEqual(expect.arrayContaining(expected.extra));
}
