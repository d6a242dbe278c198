/**
 * @kube-dns/skydns: the DNS server. Answers the cluster domain from an in-memory index of /skydns that an
 * etcd watch keeps current, serves the common queries from prepared reply bytes, forwards the rest.
 * Importing it opens nothing: call startSkyDNS.
 */
export { loggerFor, startSkyDNS } from "./skydns.js";
export type { SkyDNS, StartOptions } from "./skydns.js";
export { DEFAULTS, helpText, parseFlags, upstreamOf } from "./flags.js";
export type { Config } from "./flags.js";
export { answerLocal, replyOf } from "./answer.js";
export type { AnswerSource, Reply } from "./answer.js";
export { IndexStore, MAX_RECORDS_PER_NAME } from "./index-store.js";
export type { InvalidHandler, KeyChange, StoredEntry } from "./index-store.js";
export { Handler } from "./handler.js";
export type { Handled } from "./handler.js";
export { zoneFor, routeOf, soaFor, Zones } from "./zone.js";
export type { Route, Zone } from "./zone.js";
export { nameserversOf } from "./resolv-conf.js";
export type { WatchState } from "./backend.js";
