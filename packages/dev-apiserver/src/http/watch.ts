import type { ServerResponse } from "node:http";
import type { Etcd3 } from "etcd3";
import { watchPrefix, type StoreEvent } from "../storage/etcd-watch.js";
import { list, matches, type ListQuery } from "../registry/list.js";
import { apiVersionOf, prefixFor, type Resource } from "../api/resources.js";
import { ApiError, badRequest, gone } from "../api/status.js";
import type { Storage } from "../storage/storage.js";
import type { KubeObject } from "../api/types.js";

/** WatchEventType is the `type` of a watch event on the wire. */
export type WatchEventType = "ADDED" | "MODIFIED" | "DELETED" | "BOOKMARK" | "ERROR";

/** WatchRequest is a parsed watch: what to watch and from where. */
export interface WatchRequest {
  readonly resource: Resource;
  readonly namespace: string | undefined;
  readonly query: Pick<ListQuery, "labels" | "fields">;
  /** "" or "0": start with the current state as ADDED events; otherwise only changes after this revision. */
  readonly resourceVersion: string;
  readonly allowBookmarks: boolean;
  readonly sendInitialEvents: boolean;
  readonly timeoutMs?: number;
  /** Renders each object of an ADDED, MODIFIED or DELETED event (as a Table for kubectl); as is when undefined. */
  readonly render?: (object: KubeObject) => unknown;
}

/** WatchDeps are the watch's collaborators; bookmarkIntervalMs spaces BOOKMARK events. */
export interface WatchDeps {
  readonly client: Etcd3;
  readonly storage: Storage;
  readonly bookmarkIntervalMs: number;
  /** Registers the stream so the server can end it on stop; returns the unregister function. */
  track(resource: string, end: () => Promise<void>): () => void;
}

/** toWatchEvent decides how one etcd change shows to a watcher with selectors, or drops it. */
export function toWatchEvent(event: StoreEvent, query: WatchRequest["query"]): { type: WatchEventType; object: KubeObject } | undefined {
  const now = event.type === "put" && matches(query, event.object);
  const before = event.previous !== undefined && matches(query, event.previous);
  if (event.type === "delete") return before ? { type: "DELETED", object: event.object } : undefined;
  if (now) return { type: before ? "MODIFIED" : "ADDED", object: event.object };
  // An object that leaves the selection is gone for this watcher, as the watch cache reports it.
  return before ? { type: "DELETED", object: event.object } : undefined;
}

/** serveWatch streams newline-delimited watch events until the client leaves, the timeout passes or the server stops. */
export async function serveWatch(deps: WatchDeps, request: WatchRequest, response: ServerResponse): Promise<void> {
  const { resource } = request;
  const initial = request.resourceVersion === "" || request.resourceVersion === "0" || request.sendInitialEvents;
  let lastRevision: number;
  let initialItems: KubeObject[] = [];
  if (initial) {
    const current = await list(deps.storage, resource, request.namespace, { ...request.query });
    lastRevision = Number(current.metadata.resourceVersion);
    initialItems = current.items;
  } else {
    lastRevision = Number(request.resourceVersion);
    if (!Number.isSafeInteger(lastRevision) || lastRevision < 0) throw badRequest(`invalid resource version: ${JSON.stringify(request.resourceVersion)}`);
  }
  response.writeHead(200, { "Content-Type": "application/json", "Cache-Control": "no-cache, private" });
  response.flushHeaders();
  const send = (type: WatchEventType, object: unknown): void => {
    if (!response.writableEnded) response.write(`${JSON.stringify({ type, object })}\n`);
  };
  const bookmark = (annotations?: Record<string, string>): void => {
    const metadata = annotations === undefined ? { resourceVersion: String(lastRevision) } : { resourceVersion: String(lastRevision), annotations };
    send("BOOKMARK", { kind: resource.kind, apiVersion: apiVersionOf(resource), metadata });
  };
  const render = request.render ?? ((object: KubeObject): unknown => object);
  for (const item of initialItems) send("ADDED", render(item));
  if (request.sendInitialEvents && request.allowBookmarks) bookmark({ "k8s.io/initial-events-end": "true" });

  await new Promise<void>((resolve) => {
    const timers: NodeJS.Timeout[] = [];
    let finished: Promise<void> | undefined;
    // finish cancels the etcd watch and ends the response; it resolves once the last byte is flushed.
    const finish = (): Promise<void> =>
      (finished ??= (async () => {
        timers.forEach(clearTimeout);
        untrack();
        await watch.cancel();
        if (!response.writableEnded) await endResponse(response);
        resolve();
      })());
    const untrack = deps.track(resource.name, finish);
    const watch = watchPrefix(deps.client, prefixFor(resource, request.namespace), lastRevision + 1, {
      onEvents(events) {
        for (const event of events) {
          lastRevision = Math.max(lastRevision, event.revision);
          const shown = toWatchEvent(event, request.query);
          if (shown !== undefined) send(shown.type, render(shown.object));
        }
      },
      onError(error, compacted) {
        const status = compacted
          ? gone(`too old resource version: ${request.resourceVersion} (${error.message})`)
          : new ApiError(500, "InternalError", `Internal error occurred: watch ended: ${error.message}`);
        send("ERROR", status.toStatus());
        void finish();
      },
    });
    response.once("close", () => void finish());
    // A client that left during the initial list is already gone: no close event will come.
    if (response.socket === null || response.socket.destroyed) void finish();
    if (request.allowBookmarks) timers.push(setInterval(() => bookmark(), deps.bookmarkIntervalMs));
    if (request.timeoutMs !== undefined) timers.push(setTimeout(() => void finish(), request.timeoutMs));
  });
}

// Ends a watch response and resolves once its last byte is flushed, or once its connection is gone: a client that
// reset its connection never lets end's callback fire, and a server stopping must not wait for it.
function endResponse(response: ServerResponse): Promise<void> {
  return new Promise((done) => {
    if (response.destroyed || response.socket === null || response.socket.destroyed) {
      response.destroy();
      return done();
    }
    response.once("close", () => done());
    response.end(() => done());
  });
}
