import { COLUMNS, type Column } from "./columns.js";
import type { Resource } from "../api/resources.js";
import type { KubeObject } from "../api/types.js";

/** wantsTable tells whether the Accept header asks for server-side printing (kubectl get does). */
export function wantsTable(accept: string | undefined): boolean {
  return accept !== undefined && /as=Table/.test(accept) && /g=meta\.k8s\.io/.test(accept);
}

function rowObject(object: KubeObject, includeObject: string): unknown {
  if (includeObject === "Object") return object;
  if (includeObject === "None") return undefined;
  return { kind: "PartialObjectMetadata", apiVersion: "meta.k8s.io/v1", metadata: object.metadata };
}

/**
 * toTable renders objects as a meta.k8s.io/v1 Table with the resource's columns, as kube-apiserver does for
 * kubectl get; includeObject is the query parameter (PartialObjectMetadata by default).
 */
export function toTable(resource: Resource, objects: readonly KubeObject[], metadata: Record<string, unknown>, includeObject = "PartialObjectMetadata"): Record<string, unknown> {
  const columns: readonly Column[] = COLUMNS[resource.name] ?? [];
  const now = Date.now();
  return {
    kind: "Table",
    apiVersion: "meta.k8s.io/v1",
    metadata,
    columnDefinitions: columns.map((c) => ({ name: c.name, type: c.type, format: c.format ?? "", description: "", priority: c.priority })),
    rows: objects.map((object) => ({ cells: columns.map((c) => c.cell(object, now)), object: rowObject(object, includeObject) })),
  };
}
