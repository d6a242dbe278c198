import type { KubeConfig } from "@kubernetes/client-node";
import { unitRecords } from "./desired.js";
import { listPages } from "./pager.js";
import type { RecordSet } from "./records.js";
import { Store } from "./store.js";
import { parseUnit, type UnitId } from "./unit.js";
import { kindsFor } from "./watch.js";

/** SnapshotOptions say what to list and which zone the records are for, as kube2sky's own flags do. */
export interface SnapshotOptions {
  readonly kubeConfig: KubeConfig;
  readonly endpointsApi: "endpointslices" | "endpoints";
  readonly pods: boolean;
  /** The zone as a name, e.g. `cluster.local.`. */
  readonly zone: string;
  readonly prefix: string;
  readonly signal: AbortSignal;
}

/** DesiredSnapshot is what the API objects of one moment ask of etcd: unit -> records, and who each unit is. */
export interface DesiredSnapshot {
  readonly units: ReadonlyMap<UnitId, RecordSet>;
  /** The API object a unit stands for, as `Service NS/NAME`, `Pod NS/NAME[,NAME...] (IP)` or `dns-version`. */
  readonly objectOf: (unit: UnitId) => string;
}

/**
 * listDesired lists every kind once, in pages, with the same requests, slim conversion and store the running
 * reflectors use, then computes each unit's records as the reconciler would (unitRecords). A failed page rejects.
 */
export async function listDesired(options: SnapshotOptions): Promise<DesiredSnapshot> {
  const store = new Store();
  const kinds = kindsFor(options.kubeConfig, store, options, () => {});
  // One kind after another: a fixed number of requests in flight, a page of full objects alive at a time.
  for (const kind of kinds) {
    await listPages(kind.list, (items) => items.forEach((item) => kind.upsert(item)), options.signal);
  }
  const units = new Map(store.units().map((unit) => [unit, unitRecords(unit, store, options.zone, options.prefix)] as const));
  return { units, objectOf: (unit) => objectOf(unit, store) };
}

function objectOf(unit: UnitId, store: Store): string {
  const parsed = parseUnit(unit);
  switch (parsed?.kind) {
    case "service":
      return `Service ${parsed.namespace}/${parsed.name}`;
    case "pod": {
      const names = store.podsAt(unit).map((pod) => pod.name).sort();
      return `Pod ${parsed.namespace}/${names.join(",") || "?"} (${parsed.ip})`;
    }
    case "schema":
      return "dns-version";
    default:
      return unit;
  }
}
