import { keyFor, prefixFor, resourceByKind, type Resource } from "../api/resources.js";
import { ApiError } from "../api/status.js";
import type { KubeObject } from "../api/types.js";
import type { StoreEvent } from "../storage/etcd-watch.js";
import type { ControllerDeps } from "./deps.js";
import { desiredEndpoints, MANAGED_BY, SERVICE_NAME_LABEL, selectorOf } from "./endpoints-desired.js";
import { EndpointsIndex } from "./endpoints-index.js";
import { etcdFeed } from "./feed.js";
import { ControllerLoop, type Relisted } from "./loop.js";

const SERVICES = resourceByKind("Service");
const PODS = resourceByKind("Pod");
const ENDPOINTS = resourceByKind("Endpoints");
const SLICES = resourceByKind("EndpointSlice");

/** Existing is what a service has in etcd: its Endpoints and the EndpointSlices of ours. */
interface Existing {
  endpoints?: KubeObject;
  readonly slices: KubeObject[];
}

/** Snapshot is what a full resync read of every service's Endpoints and slices; each service's first sync uses it once. */
interface Snapshot {
  readonly existing: Map<string, Existing>;
  readonly used: Set<string>;
}

/**
 * EndpointsController keeps every selector service's Endpoints and EndpointSlices in step with its pods,
 * as kube-controller-manager's endpoints and endpointslice controllers do. Its loop reads services and pods
 * from etcd (a list, then a watch from that revision), never from request hooks, so whatever happened
 * while it was down is repaired by the full sync it runs at start, after a broken watch and after a failed sync.
 */
class EndpointsController {
  readonly loop: ControllerLoop;
  private index = new EndpointsIndex();
  private snapshot: Snapshot | undefined;
  /** Services that may have Endpoints or slices of ours: only these need a look when they have no selector. */
  private readonly managed = new Set<string>();

  constructor(private readonly deps: ControllerDeps) {
    this.loop = new ControllerLoop(
      { feed: etcdFeed(deps.client, deps.storage), log: deps.log, retryMs: deps.retryMs },
      {
        name: "endpoints controller",
        watched: [SERVICES, PODS],
        retry: { by: "resync" },
        // What the last resync read goes stale once the next one begins.
        resyncing: () => {
          this.snapshot = undefined;
        },
        relist: (lists) => this.relist(lists),
        changed: (resource, event) => (resource === SERVICES ? [this.serviceChanged(event)] : this.podChanged(event)),
        sync: async (key) => ((await this.sync(key)) ? "written" : "unchanged"),
        counted: (_key, result) => deps.metrics.endpointSyncs.inc({ result }),
      },
    );
  }

  /**
   * relist files the services and pods a resync listed, reads every Endpoints object and slice of ours (in pages), and
   * names every service and every service that left something behind. The first sync of each compares with what
   * this read found instead of reading again, so a resync of a cluster in step costs its reads and no more.
   */
  private async relist(lists: ReadonlyMap<Resource, readonly KubeObject[]>): Promise<Relisted> {
    const index = new EndpointsIndex();
    for (const service of lists.get(SERVICES) ?? []) index.setService(service);
    for (const pod of lists.get(PODS) ?? []) index.setPod(pod);
    this.index = index;
    const snapshot: Snapshot = { existing: await this.readExisting(), used: new Set() };
    this.snapshot = snapshot;
    const keys = [...index.serviceKeys()];
    for (const key of snapshot.existing.keys()) {
      this.managed.add(key);
      // Left by a service deleted while the controller was not running.
      if (index.service(key) === undefined) keys.push(key);
    }
    const synced = (): void => {
      // A resync that began meanwhile keeps its own.
      if (this.snapshot === snapshot) this.snapshot = undefined;
    };
    return { keys, synced };
  }

  private serviceChanged(event: StoreEvent): string {
    return event.type === "delete" ? this.index.deleteService(event.object) : this.index.setService(event.object);
  }

  private podChanged(event: StoreEvent): string[] {
    if (event.type === "delete") this.index.deletePod(event.object);
    else this.index.setPod(event.object);
    // Both the services that select the pod now and those that selected it before.
    return [event.object, event.previous].flatMap((pod) => (pod === undefined ? [] : this.index.servicesSelecting(pod)));
  }

  private async sync(key: string): Promise<boolean> {
    const [namespace = "", name = ""] = key.split("/");
    const service = this.index.service(key);
    const selector = service === undefined ? undefined : selectorOf(service);
    const desired = service === undefined ? undefined : desiredEndpoints(service, selector === undefined ? [] : this.index.podsFor(namespace, selector));
    if (desired === undefined && !this.managed.has(key)) return false;
    const known = this.takeKnown(key);
    // Our slices are named <service>-<hash>, so one short range read finds them all.
    const existing = known?.slices ?? (await this.deps.storage.list(`${prefixFor(SLICES, namespace)}${name.slice(0, 57)}-`)).items.filter((s) => isOurs(s, name));
    let written = false;
    if (desired === undefined) {
      if (service === undefined) written = await this.remove(ENDPOINTS, namespace, name);
    } else {
      written = await this.put(ENDPOINTS, namespace, desired.endpoints, known && { object: known.endpoints });
    }
    const wanted = new Set((desired?.slices ?? []).map((s) => s.metadata.name));
    for (const slice of existing) if (!wanted.has(slice.metadata.name)) written = (await this.remove(SLICES, namespace, slice.metadata.name ?? "")) || written;
    for (const slice of desired?.slices ?? []) {
      const before = known && { object: known.slices.find((s) => s.metadata.name === slice.metadata.name) };
      written = (await this.put(SLICES, namespace, slice, before)) || written;
    }
    if (desired === undefined) this.managed.delete(key);
    else this.managed.add(key);
    return written;
  }

  // What the last resync read for this service, once: after its first sync the controller's own writes make it stale.
  private takeKnown(key: string): Existing | undefined {
    const snapshot = this.snapshot;
    if (snapshot === undefined || snapshot.used.has(key)) return undefined;
    snapshot.used.add(key);
    return snapshot.existing.get(key) ?? { slices: [] };
  }

  /** put creates or updates an object; known, when given, is the stored object as a resync read it (undefined: absent). */
  private async put(resource: Resource, namespace: string, object: KubeObject, known?: { readonly object: KubeObject | undefined }): Promise<boolean> {
    const name = object.metadata.name ?? "";
    const before = known === undefined ? await this.deps.storage.get(keyFor(resource, namespace, name)) : known.object;
    if (before === undefined) {
      try {
        await this.deps.registry.create(resource, namespace, object);
        return true;
      } catch (error) {
        // Created since the resync read (by another API server's controller): look at it afresh.
        if (known === undefined || !(error instanceof ApiError && error.reason === "AlreadyExists")) throw error;
        return this.put(resource, namespace, object);
      }
    }
    const { object: after } = await this.deps.registry.update(resource, namespace, name, object, undefined, before);
    return after.metadata.resourceVersion !== before.metadata.resourceVersion;
  }

  private async remove(resource: Resource, namespace: string, name: string): Promise<boolean> {
    try {
      await this.deps.registry.delete(resource, namespace, name);
      return true;
    } catch (error) {
      if (error instanceof ApiError && error.code === 404) return false;
      throw error;
    }
  }

  // Every Endpoints object and every slice of ours, by the service they belong to.
  private async readExisting(): Promise<Map<string, Existing>> {
    const existing = new Map<string, Existing>();
    const entry = (namespace: string | undefined, name: string): Existing => {
      const key = `${namespace ?? ""}/${name}`;
      let found = existing.get(key);
      if (found === undefined) existing.set(key, (found = { slices: [] }));
      return found;
    };
    for (const endpoints of (await this.deps.storage.list(prefixFor(ENDPOINTS, undefined), { onUndecodable: this.loop.skipped })).items) {
      entry(endpoints.metadata.namespace, endpoints.metadata.name ?? "").endpoints = endpoints;
    }
    for (const slice of (await this.deps.storage.list(prefixFor(SLICES, undefined), { onUndecodable: this.loop.skipped })).items) {
      const owner = slice.metadata.labels?.[SERVICE_NAME_LABEL] ?? "";
      if (isOurs(slice, owner)) entry(slice.metadata.namespace, owner).slices.push(slice);
    }
    return existing;
  }
}

function isOurs(slice: KubeObject, serviceName: string): boolean {
  const labels = slice.metadata.labels ?? {};
  return labels[SERVICE_NAME_LABEL] === serviceName && labels["endpointslice.kubernetes.io/managed-by"] === MANAGED_BY;
}

/** startEndpointsController runs the first full sync and keeps watching until stop(). */
export async function startEndpointsController(deps: ControllerDeps): Promise<{ stop(): Promise<void> }> {
  const { loop } = new EndpointsController(deps);
  await loop.start();
  return loop;
}
