import { formatSelector, fromLabelSelector } from "./label-selector.js";
import { selectorFromMap, type Selector } from "./selectors.js";
import { isJsonObject, type JsonObject, type KubeObject } from "./types.js";

// What Deployments and ReplicationControllers share: both keep spec.replicas pods of spec.template that
// match spec.selector. They differ in the selector's form: a metav1.LabelSelector for a Deployment, a plain
// label map for a ReplicationController.

/** WorkloadKind names the kinds whose objects keep replicas of a pod template. */
export type WorkloadKind = "Deployment" | "ReplicationController";

const field = (object: unknown, name: string): unknown => (isJsonObject(object) ? object[name] : undefined);

/** specOf is a workload's spec, or an empty one when it has none (written straight into etcd). */
export function specOf(owner: KubeObject): JsonObject {
  return isJsonObject(owner["spec"]) ? owner["spec"] : {};
}

/**
 * podSelectorOf is the selector of a workload's pods, or undefined when it is missing, malformed or empty:
 * a workload with such a selector is left alone rather than made to select every pod.
 */
export function podSelectorOf(kind: WorkloadKind, owner: KubeObject): Selector | undefined {
  const raw = specOf(owner)["selector"];
  let selector: Selector | undefined;
  if (kind === "Deployment") selector = fromLabelSelector(raw);
  else if (isJsonObject(raw) && Object.values(raw).every((v) => typeof v === "string")) selector = selectorFromMap(raw as Record<string, string>);
  return selector !== undefined && selector.length > 0 ? selector : undefined;
}

/** selectorText is the selector as `kubectl get -o wide` and the Scale's status.selector write it; "" when there is none. */
export function selectorText(kind: WorkloadKind, owner: KubeObject): string {
  const selector = podSelectorOf(kind, owner);
  return selector === undefined ? "" : formatSelector(selector);
}

/** desiredReplicas is spec.replicas; 1 (the default) when unset or not a count. */
export function desiredReplicas(owner: KubeObject): number {
  const replicas = specOf(owner)["replicas"];
  return typeof replicas === "number" && Number.isSafeInteger(replicas) && replicas >= 0 ? replicas : 1;
}

/** templateOf is spec.template, or undefined when the workload has none. */
export function templateOf(owner: KubeObject): JsonObject | undefined {
  const template = specOf(owner)["template"];
  return isJsonObject(template) ? template : undefined;
}

/** templateLabels are the labels of the pods a workload creates, as its template sets them. */
export function templateLabels(owner: KubeObject): Record<string, string> {
  const labels = field(field(templateOf(owner), "metadata"), "labels");
  return isJsonObject(labels) ? (Object.fromEntries(Object.entries(labels).filter(([, v]) => typeof v === "string")) as Record<string, string>) : {};
}

/** templateContainers are the containers of a workload's pod template. */
export function templateContainers(owner: KubeObject): JsonObject[] {
  const containers = field(field(templateOf(owner), "spec"), "containers");
  return Array.isArray(containers) ? containers.filter(isJsonObject) : [];
}

/** statusCount reads an integer status field; 0 when unset (the API omits zero counts). */
export function statusCount(owner: KubeObject, name: string): number {
  const value = field(owner["status"], name);
  return typeof value === "number" && Number.isFinite(value) ? value : 0;
}
