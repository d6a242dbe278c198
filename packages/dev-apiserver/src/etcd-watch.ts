import type { Etcd3, IWatchResponse, Watcher } from "etcd3";
import { decode } from "./codec.js";
import type { KubeObject } from "./types.js";

/** StoreEvent is one change under a watched prefix, decoded. */
export interface StoreEvent {
  readonly type: "put" | "delete";
  readonly key: string;
  /** The object after a put; for a delete, the last state, stamped with the deletion's revision. */
  readonly object: KubeObject;
  /** The object before the change, when there was one. */
  readonly previous: KubeObject | undefined;
  readonly revision: number;
}

/** StoreWatchHandlers receive a watch's events in revision order, and its end. */
export interface StoreWatchHandlers {
  onEvents(events: StoreEvent[]): void;
  /** compacted is true when startRevision was older than etcd's compacted history. */
  onError(error: Error, compacted: boolean): void;
  /** A value that is not a JSON object (written straight into etcd) is skipped and reported here. */
  onUndecodable?(key: string, error: Error): void;
}

/** StoreWatch is a running etcd watch; cancel() ends it. */
export interface StoreWatch {
  cancel(): Promise<void>;
}

/** watchPrefix watches every key under prefix from startRevision (inclusive), with previous values. */
export function watchPrefix(client: Etcd3, prefix: string, startRevision: number, handlers: StoreWatchHandlers): StoreWatch {
  // watcher() attaches at once, so no response can arrive before our listeners are in place.
  const watcher: Watcher = client.watch().prefix(prefix).startRevision(String(startRevision)).withPreviousKV().watcher();
  let cancelled = false;
  let next = startRevision;
  watcher.on("data", (response: IWatchResponse) => {
    if (cancelled) return;
    const events: StoreEvent[] = [];
    for (const raw of response.events) {
      next = Number(raw.kv.mod_revision) + 1;
      try {
        const event = toStoreEvent(raw);
        if (event !== undefined) events.push(event);
      } catch (error) {
        // Thrown here, inside etcd3's stream listener, it would take the whole process down.
        handlers.onUndecodable?.(raw.kv.key.toString("utf8"), error as Error);
      }
    }
    if (events.length === 0) return;
    try {
      handlers.onEvents(events);
    } catch (error) {
      // A handler that fails on odd input ends the watch like a broken stream, so its owner resyncs.
      cancelled = true;
      void watcher.cancel().catch(() => undefined);
      handlers.onError(error as Error, false);
    }
  });
  watcher.on("error", (error: Error) => {
    if (cancelled) return;
    cancelled = true;
    // etcd 3.4 cancels a watch on a compacted revision with an empty reason; a read at that revision tells.
    void isCompacted(client, prefix, next).then((compacted) => handlers.onError(error, compacted || /compacted/i.test(error.message)));
  });
  return {
    async cancel() {
      if (cancelled) return;
      cancelled = true;
      await watcher.cancel().catch(() => undefined);
    },
  };
}

/** isCompacted tells whether etcd has compacted away revision (a read at it fails). */
async function isCompacted(client: Etcd3, key: string, revision: number): Promise<boolean> {
  try {
    await client.kv.range({ key: Buffer.from(key), revision, keys_only: true, limit: 1 });
    return false;
  } catch (error) {
    return /compacted/i.test(String(error));
  }
}

function toStoreEvent(event: IWatchResponse["events"][number]): StoreEvent | undefined {
  const key = event.kv.key.toString("utf8");
  const revision = Number(event.kv.mod_revision);
  const previous = event.prev_kv ? decode(event.prev_kv.value, event.prev_kv.mod_revision) : undefined;
  if (event.type === "Put") return { type: "put", key, object: decode(event.kv.value, revision), previous, revision };
  if (previous === undefined) return undefined;
  return { type: "delete", key, object: { ...previous, metadata: { ...previous.metadata, resourceVersion: String(revision) } }, previous, revision };
}
