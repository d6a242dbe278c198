import { badRequest } from "../api/status.js";
import { isJsonObject, type JsonObject } from "../api/types.js";

// The patchMergeKey of the lists in the served types (k8s.io/api core/v1, apps/v1 and meta/v1), by field name;
// a Deployment's or ReplicationController's pod template (spec.template.spec) has the same lists as a pod.
// "ports" depends on where it is: a container's are keyed by containerPort, a service's by port.
const MERGE_KEYS: Readonly<Record<string, string>> = {
  containers: "name",
  initContainers: "name",
  ephemeralContainers: "name",
  volumes: "name",
  imagePullSecrets: "name",
  env: "name",
  volumeMounts: "mountPath",
  volumeDevices: "devicePath",
  hostAliases: "ip",
  topologySpreadConstraints: "topologyKey",
  resourceClaims: "name",
  schedulingGates: "name",
  ownerReferences: "uid",
  conditions: "type",
  containerStatuses: "name",
  initContainerStatuses: "name",
  podIPs: "ip",
  hostIPs: "ip",
};
/** Lists of scalars that merge (as a set) rather than being replaced. */
const MERGED_SCALAR_LISTS = new Set(["finalizers"]);

function mergeKeyFor(path: readonly string[]): string | undefined {
  const field = path[path.length - 1] ?? "";
  if (field === "ports") return path.includes("containers") || path.includes("initContainers") || path.includes("ephemeralContainers") ? "containerPort" : "port";
  return MERGE_KEYS[field];
}

function mergeList(original: unknown[], patch: unknown[], path: string[], order: unknown): unknown[] {
  const field = path[path.length - 1] ?? "";
  if (patch.some((item) => isJsonObject(item) && item["$patch"] === "replace")) {
    return patch.filter((item) => !(isJsonObject(item) && item["$patch"] === "replace"));
  }
  const key = mergeKeyFor(path);
  if (key === undefined) {
    if (!MERGED_SCALAR_LISTS.has(field)) return patch;
    return [...original, ...patch.filter((v) => !original.includes(v))];
  }
  const result = original.map((item) => structuredClone(item));
  const indexOf = (value: unknown): number => result.findIndex((item) => isJsonObject(item) && item[key] === value);
  for (const item of patch) {
    if (!isJsonObject(item)) throw badRequest(`strategic merge patch: ${path.join(".")} holds objects merged by ${key}`);
    const at = indexOf(item[key]);
    if (item["$patch"] === "delete") {
      if (at >= 0) result.splice(at, 1);
    } else if (at >= 0) result[at] = strategicMerge(result[at], item, path);
    else result.push(strategicMerge({}, item, path));
  }
  if (!Array.isArray(order)) return result;
  // $setElementOrder lists the merge keys in their final order; elements it does not name keep theirs, last.
  const rank = (item: unknown): number => {
    const index = order.findIndex((o) => isJsonObject(o) && isJsonObject(item) && o[key] === item[key]);
    return index < 0 ? order.length : index;
  };
  return result.map((item, i) => ({ item, i })).sort((a, b) => rank(a.item) - rank(b.item) || a.i - b.i).map((e) => e.item);
}

/**
 * strategicMerge applies a strategic merge patch as kubectl apply and kubectl label send it: maps merge,
 * lists with a patch merge key merge element by element ($patch: delete removes one, $patch: replace
 * replaces the list), $setElementOrder orders them, $deleteFromPrimitiveList and $retainKeys are honoured,
 * and every other list is replaced. The target is not modified.
 */
export function strategicMerge(target: unknown, patch: unknown, path: string[] = []): unknown {
  if (!isJsonObject(patch)) return patch;
  if (patch["$patch"] === "delete") return undefined;
  if (patch["$patch"] === "replace") {
    const { $patch: _directive, ...rest } = patch;
    return rest;
  }
  const result: JsonObject = isJsonObject(target) ? { ...target } : {};
  for (const [field, value] of Object.entries(patch)) {
    if (field.startsWith("$")) continue;
    if (value === null) {
      delete result[field];
      continue;
    }
    const here = [...path, field];
    const current = result[field];
    if (Array.isArray(value)) result[field] = mergeList(Array.isArray(current) ? current : [], value, here, patch[`$setElementOrder/${field}`]);
    else if (isJsonObject(value)) {
      const merged = strategicMerge(current, value, here);
      if (merged === undefined) delete result[field];
      else result[field] = merged;
    } else result[field] = value;
  }
  for (const [directive, value] of Object.entries(patch)) {
    const removed = /^\$deleteFromPrimitiveList\/(.+)$/.exec(directive)?.[1];
    if (removed !== undefined && Array.isArray(result[removed]) && Array.isArray(value)) {
      result[removed] = (result[removed] as unknown[]).filter((v) => !value.includes(v));
    }
  }
  const retain = patch["$retainKeys"];
  if (Array.isArray(retain)) for (const field of Object.keys(result)) if (!retain.includes(field)) delete result[field];
  return result;
}

/** applyStrategicMergePatch is strategicMerge on a whole object; a patch that is not an object is refused. */
export function applyStrategicMergePatch(target: unknown, patch: unknown): unknown {
  if (!isJsonObject(patch)) throw badRequest("a strategic merge patch must be a JSON object");
  const result = strategicMerge(target, patch);
  if (result === undefined) throw badRequest("a strategic merge patch cannot delete the whole object; use DELETE");
  return result;
}
