import type { Etcd3 } from "etcd3";
import { desiredEndpoints, MANAGED_BY, SERVICE_NAME_LABEL, selectorOf } from "./endpoints-desired.js";
import { watchPrefix, type StoreEvent, type StoreWatch } from "./etcd-watch.js";
import type { Logger } from "@kube-dns/log";
import type { Metrics } from "./metrics.js";
import type { Registry } from "./registry.js";
import { prefixFor, resourceByKind } from "./resources.js";
import { matchesLabels, selectorFromMap } from "./selectors.js";
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
const keyOf = (o: KubeObject): string => `${o.metadata.namespace ?? ""}/${o.metadata.name ?? ""}`;

/**
 * EndpointsController keeps every selector service's Endpoints and EndpointSlices in step with its pods,
 * as kube-controller-manager's endpoints and endpointslice controllers do. It reads services and pods
 * from etcd (a list, then a watch from that revision), never from request hooks, so whatever happened
 * while it was down is repaired by the full sync it runs at start and after a broken watch.
 */
class EndpointsController {
  private services = new Map<string, KubeObject>();
  private pods = new Map<string, KubeObject>();
  private watches: StoreWatch[] = [];
  private readonly queue = new Set<string>();
  /** Services that may have Endpoints or slices of ours: only these need a look when they have no selector. */
  private readonly managed = new Set<string>();
  private draining: Promise<void> = Promise.resolve();
  private retry: NodeJS.Timeout | undefined;
  private stopped = false;

  constructor(private readonly deps: EndpointsControllerDeps) {}

  /** resync lists everything, syncs every service, removes what no service owns, then watches for changes. */
  async resync(): Promise<void> {
    await Promise.all(this.watches.map((w) => w.cancel()));
    const onUndecodable = (key: string, error: Error): void => this.deps.log.warn({ err: error, key }, "endpoints controller skipped a value that is not a JSON object");
    const services = await this.deps.storage.list(prefixFor(SERVICES, undefined), { onUndecodable });
    const pods = await this.deps.storage.list(prefixFor(PODS, undefined), { onUndecodable });
    this.services = new Map(services.items.map((s) => [keyOf(s), s]));
    this.pods = new Map(pods.items.map((p) => [keyOf(p), p]));
    const onError = (error: Error): void => this.broken(error);
    this.watches = [
      watchPrefix(this.deps.client, prefixFor(SERVICES, undefined), services.revision + 1, { onEvents: (e) => this.onServices(e), onError, onUndecodable }),
      watchPrefix(this.deps.client, prefixFor(PODS, undefined), pods.revision + 1, { onEvents: (e) => this.onPods(e), onError, onUndecodable }),
    ];
    for (const key of this.services.keys()) this.queue.add(key);
    await this.removeOrphans();
    this.kick();
    await this.draining;
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

  private onServices(events: StoreEvent[]): void {
    for (const event of events) {
      const key = keyOf(event.object);
      if (event.type === "delete") this.services.delete(key);
      else this.services.set(key, event.object);
      this.queue.add(key);
    }
    this.kick();
  }

  private onPods(events: StoreEvent[]): void {
    for (const event of events) {
      if (event.type === "delete") this.pods.delete(keyOf(event.object));
      else this.pods.set(keyOf(event.object), event.object);
      for (const pod of [event.object, event.previous]) if (pod !== undefined) this.enqueueServicesOf(pod);
    }
    this.kick();
  }

  private enqueueServicesOf(pod: KubeObject): void {
    for (const [key, service] of this.services) {
      const selector = selectorOf(service);
      if (service.metadata.namespace === pod.metadata.namespace && selector !== undefined && matchesLabels(selectorFromMap(selector), pod.metadata.labels)) this.queue.add(key);
    }
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
    const service = this.services.get(key);
    const pods = [...this.pods.values()].filter((p) => p.metadata.namespace === namespace);
    const desired = service === undefined ? undefined : desiredEndpoints(service, pods);
    if (desired === undefined && !this.managed.has(key)) return false;
    // Our slices are named <service>-<hash>, so one short range read finds them all.
    const existing = (await this.deps.storage.list(`${prefixFor(SLICES, namespace)}${name.slice(0, 57)}-`)).items.filter((s) => isOurs(s, name));
    let written = false;
    if (desired === undefined) {
      if (service === undefined) written = await this.remove(ENDPOINTS, namespace, name);
    } else {
      written = await this.put(ENDPOINTS, namespace, desired.endpoints);
    }
    const wanted = new Set((desired?.slices ?? []).map((s) => s.metadata.name));
    for (const slice of existing) if (!wanted.has(slice.metadata.name)) written = (await this.remove(SLICES, namespace, slice.metadata.name ?? "")) || written;
    for (const slice of desired?.slices ?? []) written = (await this.put(SLICES, namespace, slice)) || written;
    if (desired === undefined) this.managed.delete(key);
    else this.managed.add(key);
    return written;
  }

  private async put(resource: typeof ENDPOINTS, namespace: string, object: KubeObject): Promise<boolean> {
    const name = object.metadata.name ?? "";
    const before = await this.deps.storage.get(`${prefixFor(resource, namespace)}${name}`);
    if (before === undefined) {
      await this.deps.registry.create(resource, namespace, object);
      return true;
    }
    const { object: after } = await this.deps.registry.update(resource, namespace, name, object);
    return after.metadata.resourceVersion !== before.metadata.resourceVersion;
  }

  private async remove(resource: typeof ENDPOINTS, namespace: string, name: string): Promise<boolean> {
    try {
      await this.deps.registry.delete(resource, namespace, name);
      return true;
    } catch (error) {
      if (error instanceof ApiError && error.code === 404) return false;
      throw error;
    }
  }

  // Endpoints and slices left by services deleted while the controller was not running.
  private async removeOrphans(): Promise<void> {
    for (const resource of [ENDPOINTS, SLICES]) {
      for (const object of (await this.deps.storage.list(prefixFor(resource, undefined))).items) {
        const owner = resource === SLICES ? object.metadata.labels?.[SERVICE_NAME_LABEL] : object.metadata.name;
        if (resource === SLICES && !isOurs(object, owner ?? "")) continue;
        const key = `${object.metadata.namespace ?? ""}/${owner ?? ""}`;
        this.managed.add(key);
        if (!this.services.has(key)) this.queue.add(key);
      }
    }
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
