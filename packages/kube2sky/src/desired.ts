import type { EndpointGroup, Pod, Service } from "./objects.js";
import { podRecords, type RecordSet, schemaRecords, serviceRecords } from "./records.js";
import { Store } from "./store.js";
import { parseUnit, type UnitId } from "./unit.js";

const EMPTY: RecordSet = { records: new Map(), skipped: [] };

/**
 * unitRecords returns what one unit should hold in etcd given what the store knows now. A unit whose
 * objects are gone gets an empty set, which is how a deletion becomes deletes.
 */
export function unitRecords(unit: UnitId, store: Store, zone: string, prefix?: string): RecordSet {
  const parsed = parseUnit(unit);
  switch (parsed?.kind) {
    case "schema":
      return schemaRecords(zone, prefix);
    case "service": {
      const service = store.service(parsed.namespace, parsed.name);
      return service === undefined ? EMPTY : serviceRecords(service, store.groups(parsed.namespace, parsed.name), zone, prefix);
    }
    case "pod":
      return podRecords(parsed.namespace, parsed.ip, store.podsAt(unit), zone, prefix);
    default:
      return EMPTY;
  }
}

/**
 * desiredState is the whole of what kube2sky wants in etcd for these objects: unit -> records. Pure; the
 * running program computes the same thing unit by unit from its informer caches.
 */
export function desiredState(
  services: readonly Service[],
  groups: readonly EndpointGroup[],
  pods: readonly Pod[],
  zone: string,
  prefix?: string,
): Map<UnitId, RecordSet> {
  const store = new Store();
  for (const service of services) store.setService(service);
  const bySource = new Map<string, EndpointGroup[]>();
  for (const group of groups) bySource.set(group.source, [...(bySource.get(group.source) ?? []), group]);
  for (const [source, list] of bySource) store.setGroups(source, list);
  for (const pod of pods) store.setPod(pod);
  return new Map(store.units().map((unit) => [unit, unitRecords(unit, store, zone, prefix)]));
}
