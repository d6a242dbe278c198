import { apiVersionOf, prefixFor, type Resource } from "./resources.js";
import { matchesFields, matchesLabels, type FieldRequirement, type Selector } from "./selectors.js";
import { badRequest, gone } from "./status.js";
import type { Storage } from "./storage.js";
import type { KubeObject } from "./types.js";

/** ListQuery is what a list request asks for. */
export interface ListQuery {
  readonly labels: Selector;
  readonly fields: readonly FieldRequirement[];
  readonly limit?: number;
  readonly continueToken?: string;
}

/** ListBody is the `<Kind>List` response. */
export interface ListBody {
  kind: string;
  apiVersion: string;
  metadata: { resourceVersion: string; continue?: string; remainingItemCount?: number };
  items: KubeObject[];
}

interface ContinueToken {
  v: "meta.k8s.io/v1";
  rv: number;
  start: string;
}

/** fieldsOf lists the selectable fields of an object (metadata.name and metadata.namespace, plus a few per kind). */
export function fieldsOf(object: KubeObject): Record<string, string> {
  const fields: Record<string, string> = { "metadata.name": object.metadata.name ?? "", "metadata.namespace": object.metadata.namespace ?? "" };
  const spec = object["spec"] as { nodeName?: unknown; type?: unknown } | undefined;
  const status = object["status"] as { phase?: unknown; podIP?: unknown } | undefined;
  if (object.kind === "Pod") {
    fields["spec.nodeName"] = String(spec?.nodeName ?? "");
    fields["status.phase"] = String(status?.phase ?? "");
    fields["status.podIP"] = String(status?.podIP ?? "");
  }
  if (object.kind === "Service") fields["spec.type"] = String(spec?.type ?? "");
  return fields;
}

/** SELECTABLE_FIELDS are the fields a field selector may name, per kind. */
export function selectableFields(resource: Resource): string[] {
  const common = ["metadata.name", "metadata.namespace"];
  if (resource.kind === "Pod") return [...common, "spec.nodeName", "status.phase", "status.podIP"];
  if (resource.kind === "Service") return [...common, "spec.type"];
  return common;
}

/** matches tells whether an object passes a list's label and field selectors. */
export function matches(query: Pick<ListQuery, "labels" | "fields">, object: KubeObject): boolean {
  return matchesLabels(query.labels, object.metadata.labels) && matchesFields(query.fields, fieldsOf(object));
}

function decodeToken(token: string, prefix: string): ContinueToken {
  try {
    const parsed = JSON.parse(Buffer.from(token, "base64url").toString("utf8")) as Partial<ContinueToken>;
    if (parsed.v === "meta.k8s.io/v1" && typeof parsed.rv === "number" && typeof parsed.start === "string" && parsed.start.startsWith(prefix)) {
      return parsed as ContinueToken;
    }
  } catch {
    // reported below
  }
  throw badRequest("continue key is not valid: the continue token was not issued for this list");
}

function isCompacted(error: unknown): boolean {
  return error instanceof Error && /compacted/i.test(error.message);
}

/**
 * list reads a consistent page of objects: the first page at etcd's current revision, every later page
 * at the same revision through the continue token (410 Expired once that revision is compacted).
 */
export async function list(storage: Storage, resource: Resource, namespace: string | undefined, query: ListQuery): Promise<ListBody> {
  const prefix = prefixFor(resource, namespace);
  const token = query.continueToken ? decodeToken(query.continueToken, prefix) : undefined;
  let revision = token?.rv;
  let startKey = token?.start;
  const items: KubeObject[] = [];
  const limit = query.limit !== undefined && query.limit > 0 ? query.limit : undefined;
  let more = false;
  let lastKey = "";
  // Each round reads at most `limit` keys; selectors may discard some, so read until the page is full.
  for (;;) {
    let page;
    try {
      page = await storage.list(prefix, { startKey, limit: limit === undefined ? 0 : limit - items.length, revision });
    } catch (error) {
      if (isCompacted(error)) {
        throw gone("The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter, or use the continue value from the response to this request.");
      }
      throw error;
    }
    revision ??= page.revision;
    page.items.forEach((item, i) => {
      lastKey = page.keys[i] ?? lastKey;
      if (matches(query, item)) items.push(item);
    });
    more = page.more;
    startKey = `${lastKey}\u0000`;
    if (!more || limit === undefined || items.length >= limit || page.items.length === 0) break;
  }
  const metadata: ListBody["metadata"] = { resourceVersion: String(revision) };
  if (more && limit !== undefined) {
    const next: ContinueToken = { v: "meta.k8s.io/v1", rv: revision, start: startKey };
    metadata.continue = Buffer.from(JSON.stringify(next)).toString("base64url");
  }
  return { kind: resource.listKind, apiVersion: apiVersionOf(resource), metadata, items };
}
