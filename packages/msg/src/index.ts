/**
 * @kube-dns/msg: the SkyDNS record model. The record JSON that kube2sky writes and skydns serves,
 * the DNS name <-> etcd key mapping, v1.2's FNV record ids and reverse (PTR) names. Pure: no I/O.
 */
export { addressRecord, nameRecord, SCHEMA_VERSION, SCHEMA_VERSION_TTL_SECONDS, srvRecord, storedRecord, textRecord } from "./build.js";
export type { StoredRecord } from "./build.js";
export { configKeyFor } from "./config-key.js";
export { hostKindOf, podLabel } from "./host.js";
export type { HostKind } from "./host.js";
export { fnv1a32, recordIdFor } from "./id.js";
export { DEFAULT_PREFIX, isSubdomain, isValidName, keyFor, labelsOf, NameError, nameFor, normalizeName, parseKey, pathFor } from "./name.js";
export type { RecordKey } from "./name.js";
export { encodeProgrammed, MAX_PROGRAMMED_CHANGES, parseProgrammed, programmedKeyFor } from "./programmed.js";
export type { Programmed, ProgrammedChange } from "./programmed.js";
export {
  DEFAULT_PRIORITY,
  DEFAULT_TTL_SECONDS,
  DEFAULT_WEIGHT,
  encodeRecord,
  MAX_RECORD_BYTES,
  MAX_RECORDS_PER_NAME,
  MAX_TTL_SECONDS,
  parseRecord,
  RecordError,
} from "./record.js";
export type { ParseResult, RecordFault, SkyDNSRecord } from "./record.js";
export { addressForReverseName, expandIPv6, IN_ADDR_ARPA, IP6_ARPA, isReverseName, reverseNameFor } from "./reverse.js";
export { answerTypesOf } from "./types.js";
export type { AnswerType } from "./types.js";
