import { hostKindOf } from "./host.js";
import type { SkyDNSRecord } from "./record.js";

/** AnswerType is a DNS type a stored record can answer for its name. */
export type AnswerType = "A" | "AAAA" | "CNAME" | "PTR" | "MX" | "SRV" | "TXT";

/**
 * answerTypesOf lists the DNS types a record answers for its name, as skydns serves it: an address answers A or
 * AAAA; a port makes an SRV (targeting its host name, or the record's own leaf name when the host is an address); a
 * bare name without a port is a CNAME in a forward zone, a PTR under the reverse zones, or an MX when marked
 * `mail`; a `text` is a TXT. skydns answers from it and `kube-dns tree` labels records with it.
 */
export function answerTypesOf(record: SkyDNSRecord, reverse: boolean): AnswerType[] {
  const types: AnswerType[] = [];
  if (record.host !== "") {
    const kind = hostKindOf(record.host);
    if (kind === "ipv4") types.push("A");
    else if (kind === "ipv6") types.push("AAAA");
    if (record.port) types.push("SRV");
    else if (kind === "name") types.push(record.mail ? "MX" : reverse ? "PTR" : "CNAME");
  }
  if (record.text !== undefined) types.push("TXT");
  return types;
}
