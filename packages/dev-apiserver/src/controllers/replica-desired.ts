import { canonicalJson } from "../codec/canonical-json.js";
import { matchesLabels, type Selector } from "../api/selectors.js";
import { isJsonObject, type JsonObject, type KubeObject, type ObjectMeta, type OwnerReference } from "../api/types.js";
import { desiredReplicas, specOf, templateLabels, templateOf, type WorkloadKind } from "../api/workload.js";

// What the replica controller wants for one workload, computed from the workload and its namespace's pods:
// which pods to create, delete and release, and the status to report. No I/O here.

/** POD_TEMPLATE_HASH_LABEL marks a Deployment's pods with the hash of the template they were made from. */
export const POD_TEMPLATE_HASH_LABEL = "pod-template-hash";

/** WORKLOAD_API_VERSIONS are the apiVersions of the owner references this server's workloads write. */
export const WORKLOAD_API_VERSIONS: Readonly<Record<WorkloadKind, string>> = { Deployment: "apps/v1", ReplicationController: "v1" };

// The alphabet of apimachinery's rand.SafeEncodeString: no vowels, no 0, 1 or 3, so no words by chance.
const SAFE_ALPHABET = "bcdfghjklmnpqrstvwxz2456789";
// A generated name is at most 63 characters: a base of at most 58 and 5 random ones (names.SimpleNameGenerator).
const MAX_GENERATE_NAME_BASE = 58;

function fnv32a(text: string): number {
  let hash = 0x811c9dc5;
  for (const byte of Buffer.from(text, "utf8")) hash = Math.imul(hash ^ byte, 0x01000193) >>> 0;
  return hash;
}

/**
 * templateHash is a Deployment template's pod-template-hash: FNV-32a, written as kube-controller-manager writes
 * it (the decimal digits through SafeEncodeString), so `7d4b9c8f5`-like. It hashes canonical JSON rather than
 * Go's object dump, so it is stable here but not the value a real cluster would compute.
 */
export function templateHash(template: JsonObject): string {
  return Array.from(String(fnv32a(canonicalJson(template))), (digit) => SAFE_ALPHABET[digit.charCodeAt(0) % SAFE_ALPHABET.length]).join("");
}

/** ownerReferencesOf are a pod's owner references, the well-formed ones (a pod written straight into etcd may hold anything). */
export function ownerReferencesOf(pod: KubeObject): OwnerReference[] {
  const refs: unknown = pod.metadata.ownerReferences;
  return Array.isArray(refs) ? refs.filter((r): r is OwnerReference => isJsonObject(r) && typeof r["kind"] === "string" && typeof r["name"] === "string") : [];
}

/** controllerRefOf is the owner reference that says which controller manages a pod, if any. */
export function controllerRefOf(pod: KubeObject): OwnerReference | undefined {
  return ownerReferencesOf(pod).find((r) => r.controller === true);
}

/** workloadRefsOf are a pod's owner references to workloads served here (Deployments and ReplicationControllers). */
export function workloadRefsOf(pod: KubeObject): (OwnerReference & { kind: WorkloadKind })[] {
  return ownerReferencesOf(pod).filter((r): r is OwnerReference & { kind: WorkloadKind } => (r.kind === "Deployment" || r.kind === "ReplicationController") && WORKLOAD_API_VERSIONS[r.kind] === r.apiVersion);
}

/** ownerReferenceTo is the reference a workload's pods carry: it controls them and blocks their owner's foreground deletion. */
export function ownerReferenceTo(kind: WorkloadKind, owner: KubeObject): OwnerReference {
  return { apiVersion: WORKLOAD_API_VERSIONS[kind], kind, name: owner.metadata.name ?? "", uid: owner.metadata.uid ?? "", controller: true, blockOwnerDeletion: true };
}

/**
 * podFor is a new pod of a workload: the template's labels and annotations (a Deployment's with the
 * pod-template-hash label), its spec, an owner reference, and a generated name: `<deployment>-<hash>-xxxxx`, as
 * pods of the ReplicaSet kube-controller-manager would make are named, and `<rc>-xxxxx` for a ReplicationController.
 */
export function podFor(kind: WorkloadKind, owner: KubeObject, hash: string | undefined): KubeObject {
  const template = templateOf(owner) ?? {};
  const templateMeta = isJsonObject(template["metadata"]) ? template["metadata"] : {};
  const labels = { ...templateLabels(owner), ...(hash === undefined ? {} : { [POD_TEMPLATE_HASH_LABEL]: hash }) };
  const base = hash === undefined ? `${owner.metadata.name ?? ""}-` : `${owner.metadata.name ?? ""}-${hash}-`;
  const metadata: ObjectMeta = { generateName: base.slice(0, MAX_GENERATE_NAME_BASE), namespace: owner.metadata.namespace, labels };
  if (isJsonObject(templateMeta["annotations"])) metadata.annotations = { ...(templateMeta["annotations"] as Record<string, string>) };
  metadata.ownerReferences = [ownerReferenceTo(kind, owner)];
  return { apiVersion: "v1", kind: "Pod", metadata, spec: structuredClone(isJsonObject(template["spec"]) ? template["spec"] : {}) };
}

/** ReplicaPlan is what one sync does to a workload's pods. */
export interface ReplicaPlan {
  /** How many pods to create from the template. */
  readonly create: number;
  /** Pods to delete: of an older template (Deployments), then the surplus. */
  readonly remove: readonly KubeObject[];
  /** Owned pods whose labels no longer match the selector: their owner reference goes, as kube-controller-manager releases them. */
  readonly release: readonly KubeObject[];
  /** The owned, running pods that stay. */
  readonly keep: readonly KubeObject[];
  /** True when the change was cut to the per-sync limit and another sync must follow. */
  readonly truncated: boolean;
}

const phaseOf = (pod: KubeObject): unknown => (isJsonObject(pod["status"]) ? pod["status"]["phase"] : undefined);
const isActive = (pod: KubeObject): boolean => pod.metadata.deletionTimestamp === undefined && phaseOf(pod) !== "Succeeded" && phaseOf(pod) !== "Failed";

function readySince(pod: KubeObject): number | undefined {
  const conditions = isJsonObject(pod["status"]) && Array.isArray(pod["status"]["conditions"]) ? pod["status"]["conditions"] : [];
  const ready = conditions.find((c): c is JsonObject => isJsonObject(c) && c["type"] === "Ready");
  if (ready === undefined || ready["status"] !== "True") return undefined;
  const since = Date.parse(String(ready["lastTransitionTime"] ?? ""));
  return Number.isNaN(since) ? 0 : since;
}

// Pods that are not ready go first, then the newest, as the ReplicaSet controller prefers.
function removalOrder(a: KubeObject, b: KubeObject): number {
  const notReady = Number(readySince(b) === undefined) - Number(readySince(a) === undefined);
  if (notReady !== 0) return notReady;
  const created = String(b.metadata.creationTimestamp ?? "").localeCompare(String(a.metadata.creationTimestamp ?? ""));
  return created !== 0 ? created : String(b.metadata.name ?? "").localeCompare(String(a.metadata.name ?? ""));
}

/**
 * planReplicas decides what a workload's pods need: only the pods whose controller reference carries the
 * workload's uid count (pods of nobody are never adopted, another workload's never taken), and of those only
 * the running ones whose labels the selector matches. For a Deployment (hash given) the pods of any other
 * template are replaced at once. At most limit pods are created and limit deleted.
 */
export function planReplicas(owner: KubeObject, pods: readonly KubeObject[], selector: Selector, hash: string | undefined, limit: number): ReplicaPlan {
  const uid = owner.metadata.uid;
  const owned = pods.filter((pod) => uid !== undefined && uid !== "" && controllerRefOf(pod)?.uid === uid);
  const release = owned.filter((pod) => !matchesLabels(selector, pod.metadata.labels));
  const active = owned.filter((pod) => matchesLabels(selector, pod.metadata.labels) && isActive(pod));
  const current = hash === undefined ? active : active.filter((pod) => pod.metadata.labels?.[POD_TEMPLATE_HASH_LABEL] === hash);
  const outdated = active.filter((pod) => !current.includes(pod));
  const desired = desiredReplicas(owner);
  const surplus = [...current].sort(removalOrder).slice(0, Math.max(0, current.length - desired));
  const wanted = Math.max(0, desired - current.length);
  const remove = [...outdated, ...surplus];
  return {
    create: Math.min(wanted, limit),
    remove: remove.slice(0, limit),
    release,
    keep: active.filter((pod) => !remove.slice(0, limit).includes(pod)),
    truncated: wanted > limit || remove.length > limit,
  };
}

/** WorkloadStatus is the status to write, and when to look again (a pod becomes available after minReadySeconds). */
export interface WorkloadStatus {
  readonly status: JsonObject;
  readonly recheckMs: number | undefined;
}

const timestamp = (ms: number): string => new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z");

/** resolveMaxUnavailable is a rolling update's maxUnavailable as a count: a percentage rounds down; Recreate allows none. */
function resolveMaxUnavailable(owner: KubeObject, desired: number): number {
  const strategy = specOf(owner)["strategy"];
  if (!isJsonObject(strategy) || strategy["type"] !== "RollingUpdate" || !isJsonObject(strategy["rollingUpdate"])) return 0;
  const resolve = (value: unknown, roundUp: boolean): number => {
    if (typeof value === "number") return value;
    const percent = /^(\d+)%$/.exec(String(value ?? ""));
    if (percent === null) return 0;
    const exact = (Number(percent[1]) * desired) / 100;
    return roundUp ? Math.ceil(exact) : Math.floor(exact);
  };
  const surge = resolve(strategy["rollingUpdate"]["maxSurge"], true);
  const unavailable = resolve(strategy["rollingUpdate"]["maxUnavailable"], false);
  // Both zero would make no progress, so kube-controller-manager allows one unavailable pod.
  return Math.min(desired, surge === 0 && unavailable === 0 ? 1 : unavailable);
}

/** condition keeps a condition's times while its status (and, for lastUpdateTime, its reason) stays the same. */
function condition(previous: unknown, type: string, status: boolean, reason: string, message: string, now: number): JsonObject {
  const list = isJsonObject(previous) && Array.isArray(previous["conditions"]) ? previous["conditions"] : [];
  const old = list.find((c): c is JsonObject => isJsonObject(c) && c["type"] === type);
  const text = status ? "True" : "False";
  const sameStatus = old?.["status"] === text;
  const same = sameStatus && old?.["reason"] === reason && old["message"] === message;
  return {
    type,
    status: text,
    lastUpdateTime: same ? old["lastUpdateTime"] : timestamp(now),
    lastTransitionTime: sameStatus ? old["lastTransitionTime"] : timestamp(now),
    reason,
    message,
  };
}

/**
 * workloadStatus is the status a workload reports for its pods (the owned, running ones after the sync): counts,
 * with zero counts left out as the API leaves them out, observedGeneration, and a Deployment's Available and
 * Progressing conditions. A ready pod is available once it has been ready for spec.minReadySeconds.
 */
export function workloadStatus(kind: WorkloadKind, owner: KubeObject, pods: readonly KubeObject[], hash: string | undefined, now: number): WorkloadStatus {
  const minReadyMs = Math.max(0, Number(specOf(owner)["minReadySeconds"] ?? 0) || 0) * 1000;
  const ready = pods.filter((pod) => readySince(pod) !== undefined);
  const available = ready.filter((pod) => (readySince(pod) ?? now) + minReadyMs <= now);
  const waits = ready.map((pod) => (readySince(pod) ?? now) + minReadyMs - now).filter((ms) => ms > 0);
  const recheckMs = waits.length > 0 ? Math.min(...waits) : undefined;
  const desired = desiredReplicas(owner);
  const status: JsonObject = {};
  if (kind === "Deployment") {
    const updated = pods.filter((pod) => pod.metadata.labels?.[POD_TEMPLATE_HASH_LABEL] === hash).length;
    if (owner.metadata.generation !== undefined) status["observedGeneration"] = owner.metadata.generation;
    const counts = { replicas: pods.length, updatedReplicas: updated, readyReplicas: ready.length, availableReplicas: available.length, unavailableReplicas: Math.max(0, desired - available.length) };
    for (const [field, value] of Object.entries(counts)) if (value > 0) status[field] = value;
    const name = owner.metadata.name ?? "";
    const minimum = available.length >= desired - resolveMaxUnavailable(owner, desired);
    const complete = updated === desired && pods.length === desired && available.length === desired;
    status["conditions"] = [
      condition(owner["status"], "Available", minimum, minimum ? "MinimumReplicasAvailable" : "MinimumReplicasUnavailable", minimum ? "Deployment has minimum availability." : "Deployment does not have minimum availability.", now),
      condition(owner["status"], "Progressing", true, complete ? "NewReplicaSetAvailable" : "ReplicaSetUpdated", complete ? `Deployment "${name}" has successfully progressed.` : `Deployment "${name}" is progressing.`, now),
    ];
    return { status, recheckMs };
  }
  const labels = templateLabels(owner);
  const fullyLabeled = pods.filter((pod) => Object.entries(labels).every(([k, v]) => pod.metadata.labels?.[k] === v)).length;
  // The v1 type always writes replicas; the other counts only when not zero.
  status["replicas"] = pods.length;
  for (const [field, value] of [["fullyLabeledReplicas", fullyLabeled], ["readyReplicas", ready.length], ["availableReplicas", available.length]] as const) if (value > 0) status[field] = value;
  if (owner.metadata.generation !== undefined) status["observedGeneration"] = owner.metadata.generation;
  return { status, recheckMs };
}
