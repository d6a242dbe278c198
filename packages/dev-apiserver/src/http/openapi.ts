import { createHash } from "node:crypto";
import { RESOURCES, type Resource } from "../api/resources.js";

// Only what kubectl reads from OpenAPI v3: which operations exist, per group-version-kind, and that
// they take the fieldValidation parameter, so that kubectl validates on the server (with
// fieldValidation=Strict) instead of downloading OpenAPI v2 schemas, which are not served.

function groupVersionPath(group: string, version: string): string {
  return group === "" ? `api/${version}` : `apis/${group}/${version}`;
}

function operation(resource: Resource, action: string): Record<string, unknown> {
  return {
    operationId: `${action}${resource.kind}`,
    "x-kubernetes-action": action,
    "x-kubernetes-group-version-kind": { group: resource.group, version: resource.version, kind: resource.kind },
    parameters: [
      { name: "dryRun", in: "query", schema: { type: "string", uniqueItems: true } },
      { name: "fieldManager", in: "query", schema: { type: "string", uniqueItems: true } },
      { name: "fieldValidation", in: "query", schema: { type: "string", uniqueItems: true } },
    ],
    responses: { "200": { description: "OK" } },
  };
}

/** openApiDocument is the OpenAPI v3 document of one group-version, or undefined when none is served there. */
export function openApiDocument(gvPath: string): Record<string, unknown> | undefined {
  const served = RESOURCES.filter((r) => groupVersionPath(r.group, r.version) === gvPath);
  if (served.length === 0) return undefined;
  const paths: Record<string, unknown> = {};
  for (const resource of served) {
    const base = `/${gvPath}${resource.namespaced ? "/namespaces/{namespace}" : ""}/${resource.name}`;
    paths[base] = { post: operation(resource, "post") };
    paths[`${base}/{name}`] = { put: operation(resource, "put"), patch: operation(resource, "patch") };
  }
  return { openapi: "3.0.0", info: { title: "Kubernetes", version: "v1.32.0" }, paths };
}

/** openApiRoot is the /openapi/v3 discovery document: where each group-version's document lives. */
export function openApiRoot(): Record<string, unknown> {
  const paths: Record<string, unknown> = {};
  for (const resource of RESOURCES) {
    const gvPath = groupVersionPath(resource.group, resource.version);
    const hash = createHash("sha512").update(JSON.stringify(openApiDocument(gvPath))).digest("hex").toUpperCase();
    paths[gvPath] = { serverRelativeURL: `/openapi/v3/${gvPath}?hash=${hash}` };
  }
  return { paths };
}
