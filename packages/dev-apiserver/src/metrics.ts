import { Counter, Gauge, Histogram, type Registry } from "prom-client";

/** The namespace every kube-dns metric shares. */
export const NAMESPACE = "kubedns";
const SUBSYSTEM = "dev_apiserver";

/** Metrics are dev-apiserver's instruments, created on one registry. */
export interface Metrics {
  readonly requests: Counter<"verb" | "resource" | "code">;
  readonly requestDuration: Histogram<"verb" | "resource">;
  readonly openWatches: Gauge<"resource">;
  readonly endpointSyncs: Counter<"result">;
  readonly replicaSyncs: Counter<"kind" | "result">;
  readonly addressHoldsDropped: Counter<"range">;
}

/** createMetrics declares dev-apiserver's metrics on registry (never the global one). */
export function createMetrics(registry: Registry): Metrics {
  return {
    requests: new Counter({
      name: `${NAMESPACE}_${SUBSYSTEM}_requests_total`,
      help: "API requests served, by verb (get, list, watch, create, update, patch, delete), resource and HTTP code.",
      labelNames: ["verb", "resource", "code"] as const,
      registers: [registry],
    }),
    requestDuration: new Histogram({
      name: `${NAMESPACE}_${SUBSYSTEM}_request_duration_seconds`,
      help: "Time to answer an API request other than a watch, in seconds.",
      labelNames: ["verb", "resource"] as const,
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1],
      registers: [registry],
    }),
    openWatches: new Gauge({
      name: `${NAMESPACE}_${SUBSYSTEM}_open_watches`,
      help: "Watch streams open now, by resource.",
      labelNames: ["resource"] as const,
      registers: [registry],
    }),
    endpointSyncs: new Counter({
      name: `${NAMESPACE}_${SUBSYSTEM}_endpoint_syncs_total`,
      help: "Services whose Endpoints and EndpointSlices the endpoints controller synced, by result (written, unchanged, error).",
      labelNames: ["result"] as const,
      registers: [registry],
    }),
    replicaSyncs: new Counter({
      name: `${NAMESPACE}_${SUBSYSTEM}_replica_syncs_total`,
      help: "Deployments and ReplicationControllers whose pods and status the replica controller synced, by kind and result (written, unchanged, conflict: retried at once, error: retried with backoff).",
      labelNames: ["kind", "result"] as const,
      registers: [registry],
    }),
    addressHoldsDropped: new Counter({
      name: `${NAMESPACE}_${SUBSYSTEM}_address_holds_dropped_total`,
      help: "Addresses handed out whose claim was not seen yet that the allocator stopped holding early, because too many were held, by range (service, pod).",
      labelNames: ["range"] as const,
      registers: [registry],
    }),
  };
}
