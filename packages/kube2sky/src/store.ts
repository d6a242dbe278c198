import type { EndpointGroup, Pod, Service } from "./objects.js";
import { podUnit, SCHEMA_UNIT, serviceUnit, type UnitId } from "./unit.js";

/**
 * Store holds the slim objects kube2sky knows, indexed the way records need them: endpoint groups by service,
 * pods by IP. Each change returns the units it affects, so only those are recomputed.
 */
export class Store {
  private readonly services = new Map<string, Service>();
  private readonly groupsByService = new Map<string, Map<string, readonly EndpointGroup[]>>();
  private readonly serviceOfSource = new Map<string, string>();
  private readonly pods = new Map<string, Pod>();
  private readonly podsByUnit = new Map<UnitId, Map<string, Pod>>();

  /** setService adds or replaces a service. */
  setService(service: Service): UnitId[] {
    this.services.set(`${service.namespace}/${service.name}`, service);
    return [serviceUnit(service.namespace, service.name)];
  }

  /** deleteService forgets a service; its endpoint groups stay until their own deletion. */
  deleteService(namespace: string, name: string): UnitId[] {
    this.services.delete(`${namespace}/${name}`);
    return [serviceUnit(namespace, name)];
  }

  /** setGroups replaces what one source object (a slice, an Endpoints) says; an empty list removes it. */
  setGroups(source: string, groups: readonly EndpointGroup[]): UnitId[] {
    const affected: UnitId[] = [];
    const previous = this.serviceOfSource.get(source);
    if (previous !== undefined) {
      const bySource = this.groupsByService.get(previous);
      bySource?.delete(source);
      if (bySource?.size === 0) this.groupsByService.delete(previous);
      this.serviceOfSource.delete(source);
      affected.push(unitOfServiceKey(previous));
    }
    const first = groups[0];
    if (first !== undefined) {
      const key = `${first.namespace}/${first.serviceName}`;
      const bySource = this.groupsByService.get(key) ?? new Map<string, readonly EndpointGroup[]>();
      bySource.set(source, groups);
      this.groupsByService.set(key, bySource);
      this.serviceOfSource.set(source, key);
      if (key !== previous) affected.push(unitOfServiceKey(key));
    }
    return affected;
  }

  /** setPod adds or replaces a pod; the units of its old and new IPs are affected. */
  setPod(pod: Pod): UnitId[] {
    const affected = this.deletePod(pod.namespace, pod.name);
    const key = `${pod.namespace}/${pod.name}`;
    this.pods.set(key, pod);
    for (const ip of pod.ips) {
      const unit = podUnit(pod.namespace, ip);
      const holders = this.podsByUnit.get(unit) ?? new Map<string, Pod>();
      holders.set(key, pod);
      this.podsByUnit.set(unit, holders);
      if (!affected.includes(unit)) affected.push(unit);
    }
    return affected;
  }

  /** deletePod forgets a pod. */
  deletePod(namespace: string, name: string): UnitId[] {
    const key = `${namespace}/${name}`;
    const old = this.pods.get(key);
    if (old === undefined) return [];
    this.pods.delete(key);
    return old.ips.map((ip) => {
      const unit = podUnit(namespace, ip);
      const holders = this.podsByUnit.get(unit);
      holders?.delete(key);
      if (holders?.size === 0) this.podsByUnit.delete(unit);
      return unit;
    });
  }

  /** service returns the service of a unit, if known. */
  service(namespace: string, name: string): Service | undefined {
    return this.services.get(`${namespace}/${name}`);
  }

  /** groups returns every endpoint group of a service, in a stable order. */
  groups(namespace: string, name: string): EndpointGroup[] {
    const bySource = this.groupsByService.get(`${namespace}/${name}`);
    if (bySource === undefined) return [];
    return [...bySource.keys()].sort().flatMap((source) => bySource.get(source) ?? []);
  }

  /** podsAt returns the pods holding one IP in one namespace. */
  podsAt(unit: UnitId): Pod[] {
    return [...(this.podsByUnit.get(unit)?.values() ?? [])];
  }

  /** serviceKeys lists the `namespace/name` of every service held. */
  serviceKeys(): string[] {
    return [...this.services.keys()];
  }

  /** sourceKeys lists the `namespace/name` of every source object of one kind (`slice`, `endpoints`) that has groups. */
  sourceKeys(kind: string): string[] {
    const prefix = `${kind}/`;
    return [...this.serviceOfSource.keys()].filter((s) => s.startsWith(prefix)).map((s) => s.slice(prefix.length));
  }

  /** podKeys lists the `namespace/name` of every pod held. */
  podKeys(): string[] {
    return [...this.pods.keys()];
  }

  /** units lists every unit that has objects now. */
  units(): UnitId[] {
    const units = [...this.services.values()].map((s) => serviceUnit(s.namespace, s.name));
    return [SCHEMA_UNIT, ...units, ...this.podsByUnit.keys()];
  }
}

// A service's store key is `namespace/name`; neither part holds a slash.
function unitOfServiceKey(key: string): UnitId {
  const slash = key.indexOf("/");
  return serviceUnit(key.slice(0, slash), key.slice(slash + 1));
}
