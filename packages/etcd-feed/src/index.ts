/**
 * @kube-dns/etcd-feed: a prefix of etcd as a consistent feed, for every program of ours that reads etcd. One client
 * shape (every member, TLS, no hidden retries, a dead member passed over), paged reads at one revision (no read grows
 * with the cluster), and a watch that delivers every revision after a read exactly once, or says it cannot
 * (compacted) so the owner reads again.
 */
export { connectEtcd, endpointsOf, KEEPALIVE_MS, MAX_MESSAGE_BYTES, MAX_RECONNECT_BACKOFF_MS, PING_TIMEOUT_MS } from "./client.js";
export type { EtcdClientOptions } from "./client.js";
export { explainEtcdError } from "./errors.js";
export { isUnreachable, MEMBER_REST_MAX_MS, MEMBER_REST_MS, memberPolicy } from "./members.js";
export { CompactedError, currentRevision, DEFAULT_PAGE_KEYS, isCompactedError, readPages, readPrefix } from "./read.js";
export type { Entry, Page, ReadOptions, Snapshot } from "./read.js";
export { keyAfter, prefixEnd } from "./range.js";
export { watchPrefix } from "./watch.js";
export type { PrefixWatch, WatchEvent, WatchHandlers, WatchOptions } from "./watch.js";
