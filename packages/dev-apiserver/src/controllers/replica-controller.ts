import { keyFor, prefixFor, resourceByKind, type Resource } from "../api/resources.js";
import { matchesLabels } from "../api/selectors.js";
import { ApiError } from "../api/status.js";
import type { KubeObject } from "../api/types.js";
import { podSelectorOf, templateLabels, templateOf, type WorkloadKind } from "../api/workload.js";
import type { StoreEvent } from "../storage/etcd-watch.js";
import type { ListPage } from "../storage/storage.js";
import type { ControllerDeps } from "./deps.js";
import { etcdFeed } from "./feed.js";
import { ControllerLoop, type Relisted, type SyncResult } from "./loop.js";
import { ownerReferencesOf, planReplicas, podFor, templateHash, workloadRefsOf, workloadStatus } from "./replica-desired.js";

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

// The keys of the workloads a pod refers to: how pods whose owner was deleted while nobody watched are found.
const ownersOf = (pod: KubeObject): string[] => workloadRefsOf(pod).map((ref) => keyOf(ref.kind, pod.metadata.namespace, ref.name));

/**
 * ReplicaController keeps spec.replicas pods of every Deployment and ReplicationController, as kube-controller-manager's
 * deployment, replicaset and replicationcontroller controllers do between them, and deletes the pods of deleted ones
 * (as its garbage collector does). Watches over etcd only say which workloads to look at: each sync reads the workload
 * and its namespace's pods from etcd afresh, so it always acts on what is stored, including its own earlier writes.
 * A full resync at start and after a broken watch repairs whatever changed while it was not watching; a failed sync is
 * retried on its own, with backoff.
 */
class ReplicaController {
  readonly loop: ControllerLoop;

  constructor(private readonly deps: ControllerDeps) {
    this.loop = new ControllerLoop(
      { feed: etcdFeed(deps.client, deps.storage), log: deps.log, retryMs: deps.retryMs },
      {
        name: "replica controller",
        watched: [WORKLOADS.Deployment, WORKLOADS.ReplicationController, PODS],
        retry: { by: "backoff", maxMs: MAX_RETRY_MS },
        relist,
        changed,
        sync: (key) => this.sync(key),
        // A write raced ours (a pod changed between our read and our write): look again at once.
        isConflict: (error) => isApiError(error, 409),
        counted: (key, result) => deps.metrics.replicaSyncs.inc({ kind: parseKey(key).kind, result }),
      },
    );
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
    if (plan.truncated) this.loop.add(key);
    const { status, recheckMs } = workloadStatus(kind, owner, [...plan.keep, ...created], hash, Date.now());
    if (recheckMs !== undefined) this.loop.addAfter(key, recheckMs + 50);
    const statusResult = await this.writeStatus(resource, owner, status);
    if (statusResult === "conflict") return "conflict";
    return written || created.length > 0 || statusResult === "written" ? "written" : "unchanged";
  }

  private list(prefix: string): Promise<ListPage> {
    return this.deps.storage.list(prefix, { onUndecodable: this.loop.skipped });
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

/** relist names every workload listed, and every workload a listed pod refers to. */
function relist(lists: ReadonlyMap<Resource, readonly KubeObject[]>): Relisted {
  const keys: string[] = [];
  for (const kind of Object.keys(WORKLOADS) as WorkloadKind[]) {
    for (const owner of lists.get(WORKLOADS[kind]) ?? []) keys.push(keyOf(kind, owner.metadata.namespace, owner.metadata.name));
  }
  for (const pod of lists.get(PODS) ?? []) keys.push(...ownersOf(pod));
  return { keys };
}

/** changed names the workload that changed, or the workloads a changed pod refers to, before and after. */
function changed(resource: Resource, event: StoreEvent): string[] {
  if (resource !== PODS) return [keyOf(resource.kind as WorkloadKind, event.object.metadata.namespace, event.object.metadata.name)];
  return [event.object, event.previous].flatMap((pod) => (pod === undefined ? [] : ownersOf(pod)));
}

/** startReplicaController runs the first full sync and keeps watching until stop(). */
export async function startReplicaController(deps: ControllerDeps): Promise<{ stop(): Promise<void> }> {
  const { loop } = new ReplicaController(deps);
  await loop.start();
  return loop;
}
