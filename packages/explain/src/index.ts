/**
 * @kube-dns/explain: one lookup as a pod sees it. The resolv.conf kubelet writes for a pod, the queries its resolver
 * sends in order (glibc's search rules, `getent hosts`, bind9's `nslookup`), each asked of the live nameserver with
 * its reply, the /skydns keys an answer came from, the answer the client used, the cost and what would be cheaper.
 */
export { CLIENTS, runClient } from "./client.js";
export type { Ask, Client, Lookup, Reply, Step } from "./client.js";
export { explainLookup, podResolverFor } from "./explain.js";
export type { ExplainedQuery, ExplainRequest, Explanation, Why } from "./explain.js";
export { commandOf, formatExplanation } from "./format.js";
export { openRecordReader } from "./keys.js";
export type { EtcdSource, RecordReader, StoredKey } from "./keys.js";
export { editDistance, nearNames } from "./near.js";
export type { NearNames } from "./near.js";
export { StubClient, UnreachableError } from "./probe.js";
export type { DnsAddress, ProbeRecord, ProbeReply } from "./probe.js";
export { formatResolvConf, kubeletResolver, ndotsOf, withOptionDefaults } from "./resolver.js";
export type { DNSPolicy, NodeResolver, PodDNSConfig, PodResolver, ResolvConfInput, ResolverOption } from "./resolver.js";
export { searchNames } from "./search.js";
export type { SearchInput, SearchStyle } from "./search.js";
