import { Counter, Gauge, Histogram, type Registry } from "prom-client";

const NAMESPACE = "kubedns";
const SUBSYSTEM = "kube2sky";
const name = (metric: string): string => `${NAMESPACE}_${SUBSYSTEM}_${metric}`;

/** Metrics are kube2sky's Prometheus metrics, created on the registry passed in. */
export interface Metrics {
  readonly eventsTotal: Counter<"kind" | "type">;
  readonly listsTotal: Counter<"kind">;
  readonly watchErrorsTotal: Counter<"kind">;
  readonly etcdTxnsTotal: Counter;
  readonly etcdWritesTotal: Counter<"op">;
  readonly etcdErrorsTotal: Counter<"op">;
  readonly syncDurationSeconds: Histogram<"kind">;
  readonly recordsManaged: Gauge;
  readonly skippedTotal: Counter;
  readonly leader: Gauge;
  readonly electionsTotal: Counter;
  readonly fencedTxnsTotal: Counter;
  readonly configRefusedTotal: Counter;
  readonly configAppliedTotal: Counter;
  readonly triggerToSeenSeconds: Histogram<"kind" | "trigger">;
  readonly seenToCommittedSeconds: Histogram<"kind">;
}

/** PROGRAMMING_BUCKETS are 1 ms doubling to about 33 s: a change's hops run from a millisecond to a backoff of seconds. */
export const PROGRAMMING_BUCKETS: readonly number[] = Array.from({ length: 16 }, (_, i) => 0.001 * 2 ** i);

/** createMetrics declares every kube2sky metric on registry. */
export function createMetrics(registry: Registry): Metrics {
  const registers = [registry];
  return {
    eventsTotal: new Counter({
      name: name("events_total"),
      help: "Kubernetes watch events handled, by object kind (service, endpointslice, endpoints, pod, configmap) and type (add, update, delete); listed objects are not events.",
      labelNames: ["kind", "type"],
      registers,
    }),
    listsTotal: new Counter({
      name: name("lists_total"),
      help: "Complete lists of a kind from the API server, every page read: the first one and every relist.",
      labelNames: ["kind"],
      registers,
    }),
    watchErrorsTotal: new Counter({
      name: name("watch_errors_total"),
      help: "List or watch failures, by object kind, an expired continue token included; each is followed by a restart with backoff.",
      labelNames: ["kind"],
      registers,
    }),
    etcdTxnsTotal: new Counter({ name: name("etcd_txns_total"), help: "etcd transactions committed.", registers }),
    etcdWritesTotal: new Counter({
      name: name("etcd_writes_total"),
      help: "Record and registry writes committed to etcd, by operation (put, delete).",
      labelNames: ["op"],
      registers,
    }),
    etcdErrorsTotal: new Counter({
      name: name("etcd_errors_total"),
      help: "Failed etcd calls, by operation (read, txn); each is retried with backoff.",
      labelNames: ["op"],
      registers,
    }),
    syncDurationSeconds: new Histogram({
      name: name("sync_duration_seconds"),
      help: "Time to bring etcd in line with the cluster: full (first sync, relist, resync) or incremental (events).",
      labelNames: ["kind"],
      buckets: [0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 10, 30],
      registers,
    }),
    recordsManaged: new Gauge({ name: name("records_managed"), help: "etcd keys kube2sky owns under the record prefix.", registers }),
    skippedTotal: new Counter({
      name: name("skipped_total"),
      help: "Objects or parts of objects left out for bad data (no cluster IP, bad port, bad annotation, ...).",
      registers,
    }),
    leader: new Gauge({ name: name("leader"), help: "1 while this instance leads (writes to etcd), 0 while it stands by or campaigns.", registers }),
    electionsTotal: new Counter({ name: name("elections_total"), help: "Terms this instance began: times it was elected leader.", registers }),
    fencedTxnsTotal: new Counter({
      name: name("fenced_txns_total"),
      help: "Transactions etcd refused because their leader's fence no longer held: this instance had been deposed.",
      registers,
    }),
    configRefusedTotal: new Counter({
      name: name("config_refused_total"),
      help: "Versions of the --config-map ConfigMap refused as a whole (bad JSON, bad address, stub domain in the cluster domain, too many entries); the last good configuration stays.",
      registers,
    }),
    configAppliedTotal: new Counter({
      name: name("config_applied_total"),
      help: "Writes of /skydns/config committed by this instance as the leader: a ConfigMap's configuration, or its removal.",
      registers,
    }),
    triggerToSeenSeconds: new Histogram({
      name: name("programming_trigger_to_seen_seconds"),
      help:
        "DNS programming, first hop: from the change in the cluster to kube2sky seeing its watch event, by object kind and where the change's time comes from " +
        "(trigger: annotation = the endpoints.kubernetes.io/last-change-trigger-time of an EndpointSlice, sub-second; created, managed-fields, deleted = " +
        "creationTimestamp, the newest managedFields time, deletionTimestamp, whole seconds rounded down, so up to 1 s too long). The API server's clock against ours; never below 0. Watch events only, not lists.",
      labelNames: ["kind", "trigger"],
      buckets: [...PROGRAMMING_BUCKETS],
      registers,
    }),
    seenToCommittedSeconds: new Histogram({
      name: name("programming_seen_to_committed_seconds"),
      help:
        "DNS programming, second hop: from kube2sky seeing a watch event to etcd acknowledging the transaction that carries its records, by object kind; " +
        "the first event of a batch, so a unit changed twice counts from its first change. Events that changed no record are not counted.",
      labelNames: ["kind"],
      buckets: [...PROGRAMMING_BUCKETS],
      registers,
    }),
  };
}
