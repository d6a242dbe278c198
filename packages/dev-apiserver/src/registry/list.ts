import { CompactedError, isCompactedError } from "@kube-dns/etcd-feed";
import { apiVersionOf, prefixFor, type Resource } from "../api/resources.js";
import { matchesFields, matchesLabels, type FieldRequirement, type Selector } from "../api/selectors.js";
import { badRequest, gone } from "../api/status.js";
import type { Storage } from "../storage/storage.js";
import type { KubeObject } from "../api/types.js";

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

// An unpaged list read at "now" that etcd compacts under it is read again from the new now, this many times.
const MAX_SNAPSHOT_ATTEMPTS = 3;

const TOO_OLD = "The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter, or use the continue value from the response to this request.";

/**
 * list answers a list request from one consistent snapshot. With a limit or a continue token it reads one page:
 * the first at etcd's current revision, every later one at that same revision through the token (410 Expired once
 * that revision is compacted). Without either it returns every object, read from etcd in pages at one revision.
 */
export async function list(storage: Storage, resource: Resource, namespace: string | undefined, query: ListQuery): Promise<ListBody> {
  const prefix = prefixFor(resource, namespace);
  const token = query.continueToken ? decodeToken(query.continueToken, prefix) : undefined;
  const limit = query.limit !== undefined && query.limit > 0 ? query.limit : undefined;
  let body: Omit<ListBody, "kind" | "apiVersion">;
  try {
    body = token === undefined && limit === undefined ? await readAll(storage, prefix, query) : await readPage(storage, prefix, query, limit, token);
  } catch (error) {
    if (isCompactedError(error)) throw gone(TOO_OLD);
    throw error;
  }
  return { kind: resource.listKind, apiVersion: apiVersionOf(resource), ...body };
}

async function readAll(storage: Storage, prefix: string, query: ListQuery): Promise<Omit<ListBody, "kind" | "apiVersion">> {
  for (let attempt = 1; ; attempt++) {
    const items: KubeObject[] = [];
    let revision = 0;
    try {
      for await (const page of storage.pages(prefix)) {
        revision = page.revision;
        for (const item of page.items) if (matches(query, item)) items.push(item);
      }
      return { metadata: { resourceVersion: String(revision) }, items };
    } catch (error) {
      if (!(error instanceof CompactedError) || attempt >= MAX_SNAPSHOT_ATTEMPTS) throw error;
    }
  }
}

async function readPage(storage: Storage, prefix: string, query: ListQuery, limit: number | undefined, token: ContinueToken | undefined): Promise<Omit<ListBody, "kind" | "apiVersion">> {
  let revision = token?.rv;
  let startKey = token?.start;
  const items: KubeObject[] = [];
  let more = false;
  let lastKey = "";
  // Each round reads at most the room left on the page; selectors may discard some, so read until the page is full.
  for (;;) {
    const page = await storage.list(prefix, { startKey, limit: limit === undefined ? undefined : limit - items.length, revision });
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
  return { metadata, items };
}
