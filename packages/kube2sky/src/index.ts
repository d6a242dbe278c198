/**
 * @kube-dns/kube2sky: the bridge container. It lists and watches Kubernetes Services, EndpointSlices (or
 * Endpoints) and Pods and keeps the SkyDNS records under /skydns in etcd equal to them, through restarts and faults.
 * It mirrors the kube-dns ConfigMap's stub domains and upstreams into skydns's /skydns/config.
 * Of several replicas, the one elected through an etcd lease writes, every transaction fenced by its election key.
 */
export { MAX_TXN_OPS, opsFor, planTxns } from "./apply.js";
export type { Op } from "./apply.js";
export { CONFIG_KEY, mergeConfig } from "./config-key.js";
export { desiredState, unitRecords } from "./desired.js";
export { diffUnit, isEmpty } from "./diff.js";
export { MAX_STUB_DOMAINS, MAX_STUB_NAMESERVERS, MAX_UPSTREAM_NAMESERVERS, parseDnsConfig } from "./dns-config.js";
export type { DnsConfig, ParsedConfig } from "./dns-config.js";
export type { UnitChange } from "./diff.js";
export { NotLeaderError } from "./fence.js";
export type { Fence } from "./fence.js";
export { defaultConfig, parseFlags } from "./flags.js";
export { kubeConfigFor } from "./kube.js";
export type { KubeConnection } from "./kube.js";
export type { Config } from "./flags.js";
export { ELECTION_PREFIX } from "./leadership.js";
export type { Role } from "./leadership.js";
export { toEndpointGroupFromSlice, toEndpointGroupsFromEndpoints, toPod, toService } from "./objects.js";
export type { Endpoint, EndpointGroup, Pod, Port, Service } from "./objects.js";
export { decodeOwned, encodeOwned, OWNERS_PREFIX, ownerKeyFor, unitOfOwnerKey } from "./ownership.js";
export { DEFAULT_WATCH_PACING } from "./paced-watch.js";
export type { WatchPacing } from "./paced-watch.js";
export { podRecords, schemaRecords, serviceRecords } from "./records.js";
export type { RecordSet } from "./records.js";
export { listDesired } from "./snapshot.js";
export type { DesiredSnapshot, SnapshotOptions } from "./snapshot.js";
export { startKube2sky } from "./start.js";
export type { Kube2sky, Kube2skyOptions } from "./start.js";
export { parseUnit, podUnit, SCHEMA_UNIT, serviceUnit, unitId } from "./unit.js";
export type { Unit, UnitId } from "./unit.js";
