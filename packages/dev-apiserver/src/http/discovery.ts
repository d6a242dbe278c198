import { apiVersionOf, RESOURCES, VERBS, type Resource } from "../api/resources.js";
import { SCALE_GROUP, SCALE_VERSION } from "../registry/scale.js";

/** GROUPS are the API groups served under /apis (the core group is served under /api). */
const GROUPS = [...new Set(RESOURCES.filter((r) => r.group !== "").map((r) => r.group))];

/** versionInfo is the /version body: a v1.32 server, as our kubectl expects. */
export function versionInfo(): Record<string, string> {
  return {
    major: "1",
    minor: "32",
    gitVersion: "v1.32.0-dev-apiserver",
    gitCommit: "0000000000000000000000000000000000000000",
    gitTreeState: "clean",
    buildDate: "2026-01-01T00:00:00Z",
    goVersion: "go1.23",
    compiler: "gc",
    platform: "linux/amd64",
  };
}

/** apiVersions is the /api body: the core group's versions. */
export function apiVersions(serverAddress: string): Record<string, unknown> {
  return { kind: "APIVersions", versions: ["v1"], serverAddressByClientCIDRs: [{ clientCIDR: "0.0.0.0/0", serverAddress }] };
}

function groupBody(group: string): Record<string, unknown> {
  const version = { groupVersion: `${group}/v1`, version: "v1" };
  return { name: group, versions: [version], preferredVersion: version };
}

/** apiGroupList is the /apis body. */
export function apiGroupList(): Record<string, unknown> {
  return { kind: "APIGroupList", apiVersion: "v1", groups: GROUPS.map(groupBody) };
}

/** apiGroup is the /apis/<group> body, or undefined for a group not served. */
export function apiGroup(group: string): Record<string, unknown> | undefined {
  return GROUPS.includes(group) ? { kind: "APIGroup", apiVersion: "v1", ...groupBody(group) } : undefined;
}

function resourceEntries(resource: Resource): Record<string, unknown>[] {
  const main: Record<string, unknown> = {
    name: resource.name,
    singularName: resource.singularName,
    namespaced: resource.namespaced,
    kind: resource.kind,
    verbs: [...VERBS],
  };
  if (resource.shortNames.length > 0) main["shortNames"] = [...resource.shortNames];
  if (resource.inAllCategory) main["categories"] = ["all"];
  const subresources = resource.subresources.map((sub) => ({
    name: `${resource.name}/${sub}`,
    singularName: "",
    namespaced: resource.namespaced,
    // kubectl scale reads the scale subresource's kind from here: autoscaling/v1 Scale, as kube-apiserver serves it.
    ...(sub === "scale" ? { group: SCALE_GROUP, version: SCALE_VERSION, kind: "Scale" } : { kind: resource.kind }),
    verbs: ["get", "patch", "update"],
  }));
  return [main, ...subresources];
}

/** apiResourceList is the /api/v1 or /apis/<group>/v1 body, or undefined for a version not served. */
export function apiResourceList(group: string, version: string): Record<string, unknown> | undefined {
  const served = RESOURCES.filter((r) => r.group === group && r.version === version);
  if (served.length === 0) return undefined;
  const first = served[0] as Resource;
  return { kind: "APIResourceList", apiVersion: "v1", groupVersion: apiVersionOf(first), resources: served.flatMap(resourceEntries) };
}
