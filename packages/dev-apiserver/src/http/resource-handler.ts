import type { IncomingMessage, ServerResponse } from "node:http";
import type { Etcd3 } from "etcd3";
import { parseBody, readBody } from "../codec/body.js";
import { list, selectableFields, type ListQuery } from "../registry/list.js";
import type { PatchType } from "../patch/apply-patch.js";
import type { Registry } from "../registry/registry.js";
import type { ResourceRequest } from "./request-info.js";
import { parseFieldSelector, parseLabelSelector, type FieldRequirement } from "../api/selectors.js";
import { ApiError, badRequest } from "../api/status.js";
import type { Storage } from "../storage/storage.js";
import { isJsonObject, type KubeObject } from "../api/types.js";
import { toTable, wantsTable } from "./table.js";
import { serveWatch, type WatchDeps } from "./watch.js";
import { getScale, patchScale, updateScale } from "../registry/scale.js";

/** ResourceDeps are what the verbs work on. */
export interface ResourceDeps extends WatchDeps {
  readonly client: Etcd3;
  readonly storage: Storage;
  readonly registry: Registry;
}

/** Verb is the API verb of a request, as kube-apiserver's audit and metrics name it. */
export type Verb = "get" | "list" | "watch" | "create" | "update" | "patch" | "delete";

const PATCH_TYPES: Readonly<Record<string, PatchType>> = {
  "application/merge-patch+json": "merge",
  "application/strategic-merge-patch+json": "strategic",
  "application/json-patch+json": "json",
};

/** sendJson writes a complete JSON response. */
export function sendJson(response: ServerResponse, code: number, body: unknown): void {
  response.writeHead(code, { "Content-Type": "application/json" });
  response.end(JSON.stringify(body));
}

/** verbOf names what a request does, or undefined when the method does not fit the path. */
export function verbOf(method: string, request: ResourceRequest, query: URLSearchParams): Verb | undefined {
  const watching = request.watchPath || query.get("watch") === "true" || query.get("watch") === "1";
  if (method === "GET") return watching ? "watch" : request.name === undefined ? "list" : "get";
  if (request.name === undefined) return method === "POST" ? "create" : undefined;
  return ({ PUT: "update", PATCH: "patch", DELETE: "delete" } as const)[method as "PUT" | "PATCH" | "DELETE"];
}

function listQuery(request: ResourceRequest, query: URLSearchParams): ListQuery & { fields: FieldRequirement[] } {
  const fields = parseFieldSelector(query.get("fieldSelector") ?? "", selectableFields(request.resource));
  if (request.name !== undefined) fields.push({ field: "metadata.name", op: "=", value: request.name });
  const limitText = query.get("limit");
  const limit = limitText === null || limitText === "" ? undefined : Number(limitText);
  if (limit !== undefined && !(Number.isSafeInteger(limit) && limit >= 0)) throw badRequest(`invalid limit ${JSON.stringify(limitText)}`);
  const continueToken = query.get("continue") ?? undefined;
  return { labels: parseLabelSelector(query.get("labelSelector") ?? ""), fields, limit, continueToken };
}

function patchTypeOf(request: IncomingMessage): PatchType {
  const type = PATCH_TYPES[(request.headers["content-type"] ?? "").split(";")[0]?.trim() ?? ""];
  if (type === undefined) {
    throw new ApiError(415, "UnsupportedMediaType", `the body of the request was in an unknown format - accepted media types include: ${Object.keys(PATCH_TYPES).join(", ")}`);
  }
  return type;
}

/** handleScale serves a workload's scale subresource: get, update (PUT) and patch of an autoscaling/v1 Scale. */
async function handleScale(deps: ResourceDeps, verb: Verb, info: ResourceRequest, request: IncomingMessage, response: ServerResponse): Promise<number> {
  const { resource, namespace, name = "" } = info;
  let scale: KubeObject;
  if (verb === "get") scale = await getScale(deps.registry, resource, namespace, name);
  else if (verb === "update") scale = await updateScale(deps.registry, resource, namespace, name, await readObject(request));
  else if (verb === "patch") scale = await patchScale(deps.registry, resource, namespace, name, patchTypeOf(request), await readObject(request));
  else throw new ApiError(405, "MethodNotAllowed", `the server does not allow this method on the requested resource (${verb} ${resource.name}/scale)`);
  sendJson(response, 200, scale);
  return 200;
}

async function readObject(request: IncomingMessage): Promise<unknown> {
  return parseBody(await readBody(request), request.headers["content-type"]);
}

/** handleResource serves one verb on one resource; failures are thrown as ApiError for the caller to render. */
export async function handleResource(deps: ResourceDeps, verb: Verb, info: ResourceRequest, query: URLSearchParams, request: IncomingMessage, response: ServerResponse): Promise<number> {
  const { resource, namespace, name = "", subresource } = info;
  if (resource.namespaced && namespace === undefined && !["list", "watch"].includes(verb)) {
    throw new ApiError(404, "NotFound", `the server could not find the requested resource (${verb} ${resource.name})`);
  }
  if (query.get("dryRun") !== null && verb !== "get" && verb !== "list" && verb !== "watch") {
    throw badRequest("dryRun is not supported by dev-apiserver");
  }
  if (subresource !== undefined && !resource.subresources.includes(subresource)) {
    throw new ApiError(404, "NotFound", `the server could not find the requested resource (${verb} ${resource.name}/${subresource})`);
  }
  if (subresource === "scale") return handleScale(deps, verb, info, request, response);
  // kubectl get asks for a Table (server-side printing); everyone else gets the objects.
  const table = wantsTable(request.headers.accept);
  const includeObject = query.get("includeObject") ?? undefined;
  switch (verb) {
    case "get": {
      const object = await deps.registry.get(resource, namespace, name);
      sendJson(response, 200, table ? toTable(resource, [object], { resourceVersion: object.metadata.resourceVersion }, includeObject) : object);
      return 200;
    }
    case "list": {
      const body = await list(deps.storage, resource, namespace, listQuery(info, query));
      sendJson(response, 200, table ? toTable(resource, body.items, body.metadata, includeObject) : body);
      return 200;
    }
    case "watch": {
      const timeout = Number(query.get("timeoutSeconds") ?? "");
      await serveWatch(deps, {
        resource,
        namespace,
        query: listQuery(info, query),
        resourceVersion: query.get("resourceVersion") ?? "",
        allowBookmarks: query.get("allowWatchBookmarks") === "true",
        sendInitialEvents: query.get("sendInitialEvents") === "true",
        timeoutMs: Number.isFinite(timeout) && timeout > 0 ? timeout * 1000 : undefined,
        render: table ? (object) => toTable(resource, [object], { resourceVersion: object.metadata.resourceVersion }, includeObject) : undefined,
      }, response);
      return 200;
    }
    case "create":
      sendJson(response, 201, await deps.registry.create(resource, namespace, await readObject(request)));
      return 201;
    case "update": {
      const { object, created } = await deps.registry.update(resource, namespace, name, await readObject(request), subresource);
      sendJson(response, created ? 201 : 200, object);
      return created ? 201 : 200;
    }
    case "patch":
      sendJson(response, 200, await deps.registry.patch(resource, namespace, name, patchTypeOf(request), await readObject(request), subresource));
      return 200;
    case "delete": {
      const body = await readBody(request);
      const options = body.length > 0 ? parseBody(body, request.headers["content-type"]) : {};
      const preconditions = isJsonObject(options) && isJsonObject(options["preconditions"]) ? options["preconditions"] : {};
      const precondition = {
        resourceVersion: typeof preconditions["resourceVersion"] === "string" ? preconditions["resourceVersion"] : undefined,
        uid: typeof preconditions["uid"] === "string" ? preconditions["uid"] : undefined,
      };
      sendJson(response, 200, await deps.registry.delete(resource, namespace, name, precondition));
      return 200;
    }
  }
}
