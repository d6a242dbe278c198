import { CompactedError, watchPrefix as followPrefix, type WatchEvent } from "@kube-dns/etcd-feed";
import type { Etcd3 } from "etcd3";
import { decode } from "./value.js";
import type { KubeObject } from "../api/types.js";

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

/**
 * watchPrefix watches every key under prefix from startRevision (inclusive), with previous values, through
 * etcd-feed's watch: after a broken connection it resumes at the first revision not delivered, so no revision is
 * skipped or repeated, and when it cannot (compacted history) onError says so and the owner lists again.
 */
export function watchPrefix(client: Etcd3, prefix: string, startRevision: number, handlers: StoreWatchHandlers): StoreWatch {
  const watch = followPrefix(
    client,
    prefix,
    startRevision,
    {
      onEvents(raw) {
        const events: StoreEvent[] = [];
        for (const event of raw) {
          try {
            const decoded = toStoreEvent(event);
            if (decoded !== undefined) events.push(decoded);
          } catch (error) {
            handlers.onUndecodable?.(event.key, error as Error);
          }
        }
        // A handler that fails on odd input ends the watch (etcd-feed calls onReset), so its owner resyncs.
        if (events.length > 0) handlers.onEvents(events);
      },
      onReset(error) {
        handlers.onError(error, error instanceof CompactedError);
      },
    },
    { prevKv: true },
  );
  return {
    cancel() {
      watch.cancel();
      return Promise.resolve();
    },
  };
}

function toStoreEvent(event: WatchEvent): StoreEvent | undefined {
  const previous = event.prevValue === undefined ? undefined : decode(event.prevValue, event.prevModRevision ?? 0);
  if (event.type === "put") return { type: "put", key: event.key, object: decode(event.value, event.modRevision), previous, revision: event.modRevision };
  if (previous === undefined) return undefined;
  const object = { ...previous, metadata: { ...previous.metadata, resourceVersion: String(event.modRevision) } };
  return { type: "delete", key: event.key, object, previous, revision: event.modRevision };
}
