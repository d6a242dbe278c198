import type { Etcd3 } from "etcd3";
import type { Logger } from "@kube-dns/log";
import { watchPrefix, type StoreEvent, type StoreWatch } from "./etcd-watch.js";
import type { Metrics } from "./metrics.js";
import type { Registry } from "./registry.js";
import { ownerReferencesOf, planReplicas, podFor, templateHash, workloadRefsOf, workloadStatus } from "./replica-desired.js";
import { keyFor, prefixFor, resourceByKind, type Resource } from "./resources.js";
import { matchesLabels } from "./selectors.js";
import { ApiError } from "./status.js";
import type { ListPage, Storage } from "./storage.js";
import type { KubeObject } from "./types.js";
import { podSelectorOf, templateLabels, templateOf, type WorkloadKind } from "./workload.js";

/** ReplicaControllerDeps are the controller's collaborators. */
export interface ReplicaControllerDeps {
  readonly client: Etcd3;
  readonly storage: Storage;
  readonly registry: Registry;
  readonly log: Logger;
  readonly metrics: Metrics;
  /** Delay before a broken watch is resynced, and the first delay before a failed sync is retried; 1 s by default. */
  readonly retryMs?: number;
}

const WORKLOADS: Readonly<Record<WorkloadKind, Resource>> = { Deployment: resourceByKind("Deployment"), ReplicationController: resourceByKind("ReplicationController") };
const PODS = resourceByKind("Pod");
// Pods created or deleted per sync at most; a larger change continues in the next round, so other workloads are not starved.
const MAX_CHANGES_PER_SYNC = 100;
// A failed sync is retried after retryMs, doubling per failure up to this.
const MAX_RETRY_MS = 30_000;

/** A queue key names a workload: `Deployment/default/my-nginx`. */
const keyOf = (kind: WorkloadKind, namespace: string | undefined, name: string | undefined): string => `${kind}/${namespace ?? ""}/${name ?? ""}`;

function parseKey(key: string): { kind: WorkloadKind; namespace: string; name: string } {
  const [kind, namespace = "", name = ""] = key.split("/");
  return { kind: kind as WorkloadKind, namespace, name };
}

const isApiError = (error: unknown, code: number): boolean => error instanceof ApiError && error.code === code;

type SyncResult = "written" | "unchanged" | "conflict";

/**
 * ReplicaController keeps spec.replicas pods of every Deployment and ReplicationController, as kube-controller-manager's
 * deployment, replicaset and replicationcontroller controllers do between them, and deletes the pods of deleted ones
 * (as its garbage collector does). Watches over etcd only say which workloads to look at: each sync reads the workload
 * and its namespace's pods from etcd afresh, so it always acts on what is stored, including its own earlier writes.
 * A full resync at start and after a broken watch repairs whatever changed while it was not watching.
 */
class ReplicaController {
  private watches: StoreWatch[] = [];
  private readonly queue = new Set<string>();
  private readonly failures = new Map<string, number>();
  private readonly timers = new Map<string, { timer: NodeJS.Timeout; due: number }>();
  private draining: Promise<void> = Promise.resolve();
  private retry: NodeJS.Timeout | undefined;
  private stopped = false;
  // A value that is not an object (written straight into etcd) is no workload's pod: it is left out, not fatal.
  private readonly skipped = (key: string, error: Error): void => this.deps.log.warn({ err: error, key }, "replica controller skipped a value that is not a JSON object");

  constructor(private readonly deps: ReplicaControllerDeps) {}

  /** resync lists workloads and pods, queues every workload and every workload a pod refers to, then watches from there. */
  async resync(): Promise<void> {
    await Promise.all(this.watches.map((w) => w.cancel()));
    // Kept as they start, so a resync that fails half-way leaves nothing running that the next one cannot cancel.
    this.watches = [];
    const onError = (error: Error): void => this.broken(error);
    for (const kind of Object.keys(WORKLOADS) as WorkloadKind[]) {
      const page = await this.list(prefixFor(WORKLOADS[kind], undefined));
      for (const owner of page.items) this.queue.add(keyOf(kind, owner.metadata.namespace, owner.metadata.name));
      this.watches.push(watchPrefix(this.deps.client, prefixFor(WORKLOADS[kind], undefined), page.revision + 1, { onEvents: (e) => this.onWorkloads(kind, e), onError, onUndecodable: this.skipped }));
    }
    const pods = await this.list(prefixFor(PODS, undefined));
    // Pods whose owner was deleted while we were not watching are found through their owner references.
    for (const pod of pods.items) this.enqueueOwnersOf(pod);
    this.watches.push(watchPrefix(this.deps.client, prefixFor(PODS, undefined), pods.revision + 1, { onEvents: (e) => this.onPods(e), onError, onUndecodable: this.skipped }));
    this.kick();
    await this.draining;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.retry);
    for (const { timer } of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
    await Promise.all(this.watches.map((w) => w.cancel()));
    await this.draining;
  }

  private broken(error: Error): void {
    this.deps.log.warn({ err: error }, "replica controller watch ended; resyncing");
    if (this.stopped || this.retry !== undefined) return;
    this.retry = setTimeout(() => {
      this.retry = undefined;
      if (!this.stopped) this.resync().catch((e: unknown) => this.broken(e as Error));
    }, this.deps.retryMs ?? 1000);
  }

  private onWorkloads(kind: WorkloadKind, events: StoreEvent[]): void {
    for (const event of events) this.queue.add(keyOf(kind, event.object.metadata.namespace, event.object.metadata.name));
    this.kick();
  }

  private onPods(events: StoreEvent[]): void {
    for (const event of events) for (const pod of [event.object, event.previous]) if (pod !== undefined) this.enqueueOwnersOf(pod);
    this.kick();
  }

  private enqueueOwnersOf(pod: KubeObject): void {
    for (const ref of workloadRefsOf(pod)) this.queue.add(keyOf(ref.kind, pod.metadata.namespace, ref.name));
  }

  /** later queues a key again after ms; with a retry already planned for the key, the sooner one stands. */
  private later(key: string, wanted: number): void {
    // A timer longer than setTimeout's 24.8 days fires at once; an hour is soon enough to look again.
    const ms = Math.min(wanted, 3_600_000);
    const due = Date.now() + ms;
    const planned = this.timers.get(key);
    if (this.stopped || (planned !== undefined && planned.due <= due)) return;
    clearTimeout(planned?.timer);
    const timer = setTimeout(() => {
      this.timers.delete(key);
      this.queue.add(key);
      this.kick();
    }, ms);
    this.timers.set(key, { timer, due });
  }

  private kick(): void {
    this.draining = this.draining.then(() => this.drain());
  }

  // One sync at a time, in arrival order. A failed sync never stops the others: it is logged and retried with backoff.
  private async drain(): Promise<void> {
    while (!this.stopped && this.queue.size > 0) {
      const key = this.queue.values().next().value as string;
      this.queue.delete(key);
      const { kind } = parseKey(key);
      try {
        const result = await this.sync(key);
        this.deps.metrics.replicaSyncs.inc({ kind, result });
        this.failures.delete(key);
        // A write raced ours: the object's newer version is what the next round works from.
        if (result === "conflict") this.queue.add(key);
      } catch (error) {
        if (isApiError(error, 409)) {
          // A write raced ours (a pod changed between our read and our write): look again at once.
          this.deps.metrics.replicaSyncs.inc({ kind, result: "conflict" });
          this.queue.add(key);
          continue;
        }
        const failures = (this.failures.get(key) ?? 0) + 1;
        this.failures.set(key, failures);
        this.deps.metrics.replicaSyncs.inc({ kind, result: "error" });
        this.deps.log.warn({ err: error, workload: key, failures }, "replica sync failed; retrying later");
        this.later(key, Math.min(MAX_RETRY_MS, (this.deps.retryMs ?? 1000) * 2 ** (failures - 1)));
      }
    }
  }

  private async sync(key: string): Promise<SyncResult> {
    const { kind, namespace, name } = parseKey(key);
    const resource = WORKLOADS[kind];
    if (resource === undefined) return "unchanged";
    const owner = await this.deps.storage.get(keyFor(resource, namespace, name));
    const pods = (await this.list(prefixFor(PODS, namespace))).items;
    let written = await this.collectGarbage(kind, namespace, name, owner?.metadata.uid, pods);
    if (owner === undefined) return written ? "written" : "unchanged";
    const selector = podSelectorOf(kind, owner);
    const template = templateOf(owner);
    // Stored objects passed validation; these checks are for objects written straight into etcd.
    if (selector === undefined || template === undefined || !owner.metadata.uid || !matchesLabels(selector, templateLabels(owner))) {
      this.deps.log.warn({ workload: key }, "workload has no usable selector or template (or its template's labels do not match its selector); leaving it alone");
      return written ? "written" : "unchanged";
    }
    const hash = kind === "Deployment" ? templateHash(template) : undefined;
    const plan = planReplicas(owner, pods, selector, hash, MAX_CHANGES_PER_SYNC);
    for (const pod of plan.release) written = (await this.release(pod, owner.metadata.uid)) || written;
    const created: KubeObject[] = [];
    // New pods first, then the old ones go: a Deployment's changed template replaces its pods without a gap.
    for (let i = 0; i < plan.create; i++) created.push(await this.deps.registry.create(PODS, namespace, podFor(kind, owner, hash)));
    for (const pod of plan.remove) written = (await this.removePod(pod)) || written;
    if (plan.truncated) this.queue.add(key);
    const { status, recheckMs } = workloadStatus(kind, owner, [...plan.keep, ...created], hash, Date.now());
    if (recheckMs !== undefined) this.later(key, recheckMs + 50);
    const statusResult = await this.writeStatus(resource, owner, status);
    if (statusResult === "conflict") return "conflict";
    return written || created.length > 0 || statusResult === "written" ? "written" : "unchanged";
  }

  private list(prefix: string): Promise<ListPage> {
    return this.deps.storage.list(prefix, { onUndecodable: this.skipped });
  }

  private async writeStatus(resource: Resource, owner: KubeObject, status: unknown): Promise<SyncResult> {
    try {
      // The owner carries the resourceVersion it was read at: a status for an older spec is refused, not written.
      const { object } = await this.deps.registry.update(resource, owner.metadata.namespace, owner.metadata.name ?? "", { ...owner, status }, "status");
      return object.metadata.resourceVersion === owner.metadata.resourceVersion ? "unchanged" : "written";
    } catch (error) {
      if (isApiError(error, 409)) return "conflict";
      if (isApiError(error, 404)) return "unchanged";
      throw error;
    }
  }

  /** release takes the workload's owner reference off a pod it no longer selects. */
  private async release(pod: KubeObject, uid: string): Promise<boolean> {
    const ownerReferences = ownerReferencesOf(pod).filter((r) => r.uid !== uid);
    const metadata = { ...pod.metadata, ownerReferences: ownerReferences.length > 0 ? ownerReferences : undefined };
    try {
      await this.deps.registry.update(PODS, pod.metadata.namespace, pod.metadata.name ?? "", { ...pod, metadata });
      return true;
    } catch (error) {
      if (isApiError(error, 404)) return false;
      throw error;
    }
  }

  /** removePod deletes a pod, unless it is already gone or its name now belongs to another pod. */
  private async removePod(pod: KubeObject): Promise<boolean> {
    try {
      await this.deps.registry.delete(PODS, pod.metadata.namespace, pod.metadata.name ?? "", { uid: pod.metadata.uid });
      return true;
    } catch (error) {
      if (isApiError(error, 404) || isApiError(error, 409)) return false;
      throw error;
    }
  }

  /**
   * collectGarbage deletes the pods that refer to this workload's name but not to its live uid (it was deleted, or
   * deleted and created again), as the garbage collector does: only when every one of a pod's owners is gone, and
   * never a pod with an owner of a kind not served here.
   */
  private async collectGarbage(kind: WorkloadKind, namespace: string, name: string, liveUid: string | undefined, pods: readonly KubeObject[]): Promise<boolean> {
    let written = false;
    for (const pod of pods) {
      if (!workloadRefsOf(pod).some((ref) => ref.kind === kind && ref.name === name && ref.uid !== liveUid)) continue;
      if (await this.ownersGone(pod, namespace)) written = (await this.removePod(pod)) || written;
    }
    return written;
  }

  private async ownersGone(pod: KubeObject, namespace: string): Promise<boolean> {
    // Malformed references count too: a pod whose owners cannot all be checked is kept.
    const refs: unknown = pod.metadata.ownerReferences;
    if (!Array.isArray(refs) || workloadRefsOf(pod).length !== refs.length) return false;
    for (const ref of workloadRefsOf(pod)) {
      const owner = await this.deps.storage.get(keyFor(WORKLOADS[ref.kind], namespace, ref.name));
      if (owner !== undefined && owner.metadata.uid === ref.uid) return false;
    }
    return true;
  }
}

/** startReplicaController runs the first full sync and keeps watching until stop(). */
export async function startReplicaController(deps: ReplicaControllerDeps): Promise<{ stop(): Promise<void> }> {
  const controller = new ReplicaController(deps);
  await controller.resync();
  return controller;
}
