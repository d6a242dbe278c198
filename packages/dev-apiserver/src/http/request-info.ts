import { findResource, type Resource } from "../api/resources.js";
import { badRequest } from "../api/status.js";

/** ResourceRequest is a request for a resource: which one, where, and whether it is a watch. */
export interface ResourceRequest {
  readonly type: "resource";
  readonly resource: Resource;
  readonly namespace: string | undefined;
  readonly name: string | undefined;
  readonly subresource: string | undefined;
  /** True for the deprecated `/watch/` path prefix. */
  readonly watchPath: boolean;
}

/** RequestInfo is what a URL path names: a resource request, a discovery document, or nothing served. */
export type RequestInfo =
  | ResourceRequest
  | { readonly type: "unknown-resource"; readonly name: string }
  | { readonly type: "other" };

/**
 * parseRequestInfo reads the kube-apiserver URL scheme:
 * /api/v1[/watch][/namespaces/NS]/RESOURCE[/NAME[/SUBRESOURCE]] and the same under /apis/GROUP/VERSION.
 */
export function parseRequestInfo(pathname: string): RequestInfo {
  let parts: string[];
  try {
    parts = pathname.split("/").filter((p) => p !== "").map(decodeURIComponent);
  } catch {
    throw badRequest(`malformed URL path ${JSON.stringify(pathname)}`);
  }
  let group: string;
  let version: string;
  let rest: string[];
  if (parts[0] === "api" && parts.length >= 3) {
    group = "";
    version = parts[1] as string;
    rest = parts.slice(2);
  } else if (parts[0] === "apis" && parts.length >= 4) {
    group = parts[1] as string;
    version = parts[2] as string;
    rest = parts.slice(3);
  } else {
    return { type: "other" };
  }
  const watchPath = rest[0] === "watch";
  if (watchPath) rest = rest.slice(1);
  let namespace: string | undefined;
  // /namespaces/NS/RESOURCE...: a namespaced request; /namespaces[/NAME[/SUB]]: the namespace itself.
  if (rest[0] === "namespaces" && rest.length >= 3 && !["status", "finalize"].includes(rest[2] as string)) {
    namespace = rest[1];
    rest = rest.slice(2);
  }
  const [resourceName = "", name, subresource, ...extra] = rest;
  const resource = findResource(group, version, resourceName);
  if (resource === undefined || extra.length > 0) return { type: "unknown-resource", name: resourceName };
  if (namespace !== undefined && !resource.namespaced) return { type: "unknown-resource", name: resourceName };
  return { type: "resource", resource, namespace, name, subresource, watchPath };
}
