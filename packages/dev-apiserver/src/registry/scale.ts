import { applyPatch, type PatchType } from "../patch/apply-patch.js";
import type { Registry } from "./registry.js";
import type { Resource } from "../api/resources.js";
import { ApiError, badRequest, conflict, invalid } from "../api/status.js";
import { isJsonObject, type KubeObject } from "../api/types.js";
import { desiredReplicas, selectorText, specOf, statusCount, type WorkloadKind } from "../api/workload.js";

// The scale subresource (`kubectl scale`): an autoscaling/v1 Scale view of a workload's spec.replicas.

/** SCALE_GROUP and SCALE_VERSION are where the Scale kind lives, as discovery reports it for `<resource>/scale`. */
export const SCALE_GROUP = "autoscaling";
export const SCALE_VERSION = "v1";

// A concurrent write to the workload makes the next round start from the newer object.
const MAX_ATTEMPTS = 16;

/** scaleOf is the Scale of a workload: its desired replicas, the pods it has, and its selector as text. */
export function scaleOf(resource: Resource, object: KubeObject): KubeObject {
  const { name, namespace, uid, resourceVersion, creationTimestamp } = object.metadata;
  return {
    apiVersion: `${SCALE_GROUP}/${SCALE_VERSION}`,
    kind: "Scale",
    metadata: { name, namespace, uid, resourceVersion, creationTimestamp },
    spec: { replicas: desiredReplicas(object) },
    status: { replicas: statusCount(object, "replicas"), selector: selectorText(resource.kind as WorkloadKind, object) },
  };
}

/** getScale reads a workload's Scale. */
export async function getScale(registry: Registry, resource: Resource, namespace: string | undefined, name: string): Promise<KubeObject> {
  return scaleOf(resource, await registry.get(resource, namespace, name));
}

/** updateScale writes the replicas of a Scale (PUT) to its workload; a resourceVersion in it must be the workload's. */
export function updateScale(registry: Registry, resource: Resource, namespace: string | undefined, name: string, body: unknown): Promise<KubeObject> {
  return writeScale(registry, resource, namespace, name, () => body);
}

/** patchScale patches a workload's Scale and writes the resulting replicas to the workload. */
export function patchScale(registry: Registry, resource: Resource, namespace: string | undefined, name: string, type: PatchType, patch: unknown): Promise<KubeObject> {
  return writeScale(registry, resource, namespace, name, (current) => applyPatch(type, current, patch));
}

async function writeScale(registry: Registry, resource: Resource, namespace: string | undefined, name: string, change: (current: KubeObject) => unknown): Promise<KubeObject> {
  const ref = { resource: resource.name, group: resource.group, kind: resource.kind, name };
  for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
    const object = await registry.get(resource, namespace, name);
    const wanted = change(scaleOf(resource, object));
    const { replicas, resourceVersion } = readScale(wanted, name);
    if (resourceVersion !== undefined && resourceVersion !== "" && resourceVersion !== object.metadata.resourceVersion) throw conflict(ref);
    try {
      // The object carries the resourceVersion it was read at, so a concurrent change is a conflict, not lost.
      const { object: updated } = await registry.update(resource, namespace, name, { ...object, spec: { ...specOf(object), replicas } });
      return scaleOf(resource, updated);
    } catch (error) {
      if (!(error instanceof ApiError && error.reason === "Conflict") || (resourceVersion !== undefined && resourceVersion !== "")) throw error;
    }
  }
  throw conflict(ref);
}

/** readScale checks a Scale sent by a client and returns what it asks for. */
function readScale(body: unknown, name: string): { replicas: number; resourceVersion: string | undefined } {
  if (!isJsonObject(body)) throw badRequest("the request body must be a Scale object");
  if (body["kind"] !== undefined && body["kind"] !== "Scale") throw badRequest(`the kind in the data (${String(body["kind"])}) does not match the expected kind (Scale)`);
  const metadata = isJsonObject(body["metadata"]) ? body["metadata"] : {};
  if (metadata["name"] !== undefined && metadata["name"] !== name) throw badRequest(`the name of the object (${String(metadata["name"])}) does not match the name on the URL (${name})`);
  const replicas = isJsonObject(body["spec"]) ? body["spec"]["replicas"] : undefined;
  const scaleRef = { resource: "scale", group: SCALE_GROUP, kind: "Scale", name };
  if (typeof replicas !== "number" || !Number.isSafeInteger(replicas)) throw invalid(scaleRef, [{ field: "spec.replicas", message: `Invalid value: ${JSON.stringify(replicas ?? null)}: must be an integer` }]);
  if (replicas < 0) throw invalid(scaleRef, [{ field: "spec.replicas", message: `Invalid value: ${replicas}: must be greater than or equal to 0` }]);
  const resourceVersion = typeof metadata["resourceVersion"] === "string" ? metadata["resourceVersion"] : undefined;
  return { replicas, resourceVersion };
}
