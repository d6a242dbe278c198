import type { Etcd3 } from "etcd3";
import { desiredEndpoints, MANAGED_BY, SERVICE_NAME_LABEL, selectorOf } from "./endpoints-desired.js";
import { EndpointsIndex } from "./endpoints-index.js";
import { watchPrefix, type StoreEvent, type StoreWatch } from "./etcd-watch.js";
import type { Logger } from "@kube-dns/log";
import type { Metrics } from "./metrics.js";
import type { Registry } from "./registry.js";
import { keyFor, prefixFor, resourceByKind, type Resource } from "./resources.js";
import { ApiError } from "./status.js";
import type { Storage } from "./storage.js";
import type { KubeObject } from "./types.js";

/** EndpointsControllerDeps are the controller's collaborators. */
export interface EndpointsControllerDeps {
  readonly client: Etcd3;
  readonly storage: Storage;
  readonly registry: Registry;
  readonly log: Logger;
  readonly metrics: Metrics;
  /** Delay before a failed sync or a broken watch is retried; 1 s by default. */
  readonly retryMs?: number;
}

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
 * as kube-controller-manager's endpoints and endpointslice controllers do. It reads services and pods
 * from etcd (a list, then a watch from that revision), never from request hooks, so whatever happened
 * while it was down is repaired by the full sync it runs at start and after a broken watch.
 */
class EndpointsController {
  private index = new EndpointsIndex();
  private snapshot: Snapshot | undefined;
  private watches: StoreWatch[] = [];
  private readonly queue = new Set<string>();
  /** Services that may have Endpoints or slices of ours: only these need a look when they have no selector. */
  private readonly managed = new Set<string>();
  private draining: Promise<void> = Promise.resolve();
  private retry: NodeJS.Timeout | undefined;
  private stopped = false;

  constructor(private readonly deps: EndpointsControllerDeps) {}

  /**
   * resync lists services, pods, Endpoints and our slices (each read in pages), watches services and pods from there,
   * and syncs every service and every service that left something behind. The first sync of each compares with what
   * this read found instead of reading again, so a resync of a cluster in step costs its reads and no more.
   */
  async resync(): Promise<void> {
    await Promise.all(this.watches.map((w) => w.cancel()));
    this.snapshot = undefined;
    const services = await this.deps.storage.list(prefixFor(SERVICES, undefined), { onUndecodable: this.skipped });
    const pods = await this.deps.storage.list(prefixFor(PODS, undefined), { onUndecodable: this.skipped });
    const index = new EndpointsIndex();
    for (const service of services.items) index.setService(service);
    for (const pod of pods.items) index.setPod(pod);
    this.index = index;
    const onError = (error: Error): void => this.broken(error);
    this.watches = [
      watchPrefix(this.deps.client, prefixFor(SERVICES, undefined), services.revision + 1, { onEvents: (e) => this.onServices(e), onError, onUndecodable: this.skipped }),
      watchPrefix(this.deps.client, prefixFor(PODS, undefined), pods.revision + 1, { onEvents: (e) => this.onPods(e), onError, onUndecodable: this.skipped }),
    ];
    const snapshot: Snapshot = { existing: await this.readExisting(), used: new Set() };
    this.snapshot = snapshot;
    for (const key of index.serviceKeys()) this.queue.add(key);
    for (const key of snapshot.existing.keys()) {
      this.managed.add(key);
      // Left by a service deleted while the controller was not running.
      if (index.service(key) === undefined) this.queue.add(key);
    }
    this.kick();
    await this.draining;
    if (this.snapshot === snapshot) this.snapshot = undefined;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.retry);
    await Promise.all(this.watches.map((w) => w.cancel()));
    await this.draining;
  }

  private broken(error: Error): void {
    this.deps.log.warn({ err: error }, "endpoints controller watch ended; resyncing");
    this.later(() => this.resync());
  }

  private later(work: () => Promise<void>): void {
    if (this.stopped || this.retry !== undefined) return;
    this.retry = setTimeout(() => {
      this.retry = undefined;
      if (!this.stopped) work().catch((error: unknown) => this.broken(error as Error));
    }, this.deps.retryMs ?? 1000);
  }

  private readonly skipped = (key: string, error: Error): void => this.deps.log.warn({ err: error, key }, "endpoints controller skipped a value that is not a JSON object");

  private onServices(events: StoreEvent[]): void {
    for (const event of events) this.queue.add(event.type === "delete" ? this.index.deleteService(event.object) : this.index.setService(event.object));
    this.kick();
  }

  private onPods(events: StoreEvent[]): void {
    for (const event of events) {
      if (event.type === "delete") this.index.deletePod(event.object);
      else this.index.setPod(event.object);
      // Both the services that select the pod now and those that selected it before.
      for (const pod of [event.object, event.previous]) if (pod !== undefined) for (const key of this.index.servicesSelecting(pod)) this.queue.add(key);
    }
    this.kick();
  }

  private kick(): void {
    this.draining = this.draining.then(() => this.drain());
  }

  // One sync at a time, in arrival order; a failed one is retried by a later resync.
  private async drain(): Promise<void> {
    while (!this.stopped && this.queue.size > 0) {
      const key = this.queue.values().next().value as string;
      this.queue.delete(key);
      try {
        this.deps.metrics.endpointSyncs.inc({ result: (await this.sync(key)) ? "written" : "unchanged" });
      } catch (error) {
        this.deps.metrics.endpointSyncs.inc({ result: "error" });
        this.deps.log.warn({ err: error, service: key }, "endpoints sync failed; resyncing later");
        this.later(() => this.resync());
      }
    }
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
    for (const endpoints of (await this.deps.storage.list(prefixFor(ENDPOINTS, undefined), { onUndecodable: this.skipped })).items) {
      entry(endpoints.metadata.namespace, endpoints.metadata.name ?? "").endpoints = endpoints;
    }
    for (const slice of (await this.deps.storage.list(prefixFor(SLICES, undefined), { onUndecodable: this.skipped })).items) {
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
export async function startEndpointsController(deps: EndpointsControllerDeps): Promise<{ stop(): Promise<void> }> {
  const controller = new EndpointsController(deps);
  await controller.resync();
  return controller;
}
