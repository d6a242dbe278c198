import type { IncomingMessage, ServerResponse } from "node:http";
import type { Registry as PromRegistry } from "prom-client";
import { apiGroup, apiGroupList, apiResourceList, apiVersions, versionInfo } from "./discovery.js";
import type { Logger } from "@kube-dns/log";
import { openApiDocument, openApiRoot } from "./openapi.js";
import type { Metrics } from "../metrics.js";
import { parseRequestInfo } from "./request-info.js";
import { handleResource, sendJson, verbOf, type ResourceDeps } from "./resource-handler.js";
import { ApiError } from "../api/status.js";

/** HandlerDeps are everything the HTTP handler serves from. */
export interface HandlerDeps extends ResourceDeps {
  readonly log: Logger;
  readonly metrics: Metrics;
  readonly promRegistry: PromRegistry;
  /** Bearer token every request must carry; undefined serves everyone (loopback only by default). */
  readonly token: string | undefined;
  /** The host:port clients reach us at, for /api's serverAddressByClientCIDRs. */
  serverAddress(): string;
}

function notFoundPath(path: string): ApiError {
  return new ApiError(404, "NotFound", `the server could not find the requested resource (path ${path})`);
}

/** discoveryBody answers the discovery and version documents, or undefined for any other path. */
function discoveryBody(path: string, deps: HandlerDeps): unknown {
  const trimmed = path.replace(/\/+$/, "") || "/";
  if (trimmed === "/version") return versionInfo();
  if (trimmed === "/api") return apiVersions(deps.serverAddress());
  if (trimmed === "/apis") return apiGroupList();
  if (trimmed === "/openapi/v3") return openApiRoot();
  if (trimmed.startsWith("/openapi/v3/")) return openApiDocument(trimmed.slice("/openapi/v3/".length)) ?? null;
  const core = /^\/api\/([^/]+)$/.exec(trimmed);
  if (core) return apiResourceList("", core[1] as string) ?? null;
  const group = /^\/apis\/([^/]+)$/.exec(trimmed);
  if (group) return apiGroup(group[1] as string) ?? null;
  const groupVersion = /^\/apis\/([^/]+)\/([^/]+)$/.exec(trimmed);
  if (groupVersion) return apiResourceList(groupVersion[1] as string, groupVersion[2] as string) ?? null;
  return undefined;
}

async function route(deps: HandlerDeps, request: IncomingMessage, response: ServerResponse, labels: { verb: string; resource: string }): Promise<number> {
  const url = new URL(request.url ?? "/", "http://localhost");
  const path = url.pathname;
  if (path === "/healthz" || path === "/livez" || path === "/readyz") {
    response.writeHead(200, { "Content-Type": "text/plain" }).end("ok");
    return 200;
  }
  if (path === "/metrics") {
    response.writeHead(200, { "Content-Type": deps.promRegistry.contentType }).end(await deps.promRegistry.metrics());
    return 200;
  }
  if (deps.token !== undefined && request.headers.authorization !== `Bearer ${deps.token}`) {
    throw new ApiError(401, "Unauthorized", "Unauthorized");
  }
  const info = parseRequestInfo(path);
  if (info.type === "other") {
    const body = discoveryBody(path, deps);
    if (body === undefined || body === null) throw notFoundPath(path);
    if (request.method !== "GET") throw new ApiError(405, "MethodNotAllowed", `the server does not allow this method on the requested resource`);
    labels.verb = "get";
    sendJson(response, 200, body);
    return 200;
  }
  if (info.type === "unknown-resource") throw notFoundPath(path);
  const verb = verbOf(request.method ?? "GET", info, url.searchParams);
  if (verb === undefined) throw new ApiError(405, "MethodNotAllowed", `the server does not allow this method on the requested resource (${request.method ?? ""} ${info.resource.name})`);
  labels.verb = verb;
  labels.resource = info.resource.name;
  return handleResource(deps, verb, info, url.searchParams, request, response);
}

/** toApiError maps a failure to its Status: etcd being unreachable is a 503, anything unexpected a 500. */
export function toApiError(error: unknown): ApiError {
  if (error instanceof ApiError) return error;
  const text = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  // etcd3 raises GRPCUnavailableError, or a deadline error while gRPC reconnects (connectEtcd turns its circuit breaker off).
  if (/Unavailable|BrokenCircuit|circuit breaker|ECONNREFUSED|deadline/i.test(text)) {
    return new ApiError(503, "ServiceUnavailable", `etcd is unavailable: ${error instanceof Error ? error.message : text}`);
  }
  return new ApiError(500, "InternalError", `Internal error occurred: ${error instanceof Error ? error.message : text}`);
}

/** createHandler returns the server's request listener: every failure becomes a Status, never a crash. */
export function createHandler(deps: HandlerDeps): (request: IncomingMessage, response: ServerResponse) => void {
  return (request, response) => {
    const started = process.hrtime.bigint();
    const labels = { verb: "other", resource: "" };
    const done = (code: number): void => {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      deps.metrics.requests.inc({ ...labels, code: String(code) });
      if (labels.verb !== "watch") deps.metrics.requestDuration.observe(labels, seconds);
      deps.log.debug({ method: request.method, url: request.url, ...labels, code, seconds }, "request");
    };
    route(deps, request, response, labels).then(done, (error: unknown) => {
      const apiError = toApiError(error);
      if (apiError.code >= 500) deps.log.error({ err: error, method: request.method, url: request.url }, "request failed");
      if (!response.headersSent) sendJson(response, apiError.code, apiError.toStatus());
      else response.end();
      done(apiError.code);
    });
  };
}
