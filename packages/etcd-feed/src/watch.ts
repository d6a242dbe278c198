import { type Etcd3, type IEvent, type IWatchResponse } from "etcd3";
import { CompactedError } from "./read.js";
import { prefixEnd } from "./range.js";

/** WatchEvent is one change under the watched prefix. */
export interface WatchEvent {
  readonly type: "put" | "delete";
  readonly key: string;
  /** The value after a put; empty for a delete. */
  readonly value: Buffer;
  readonly modRevision: number;
  /** The value before the change, when asked for (prevKv) and etcd still had it. */
  readonly prevValue: Buffer | undefined;
  readonly prevModRevision: number | undefined;
}

/** WatchHandlers hear a watch's revisions in order, and how it fares. */
export interface WatchHandlers {
  /**
   * Every event of one or more whole revisions, in revision order, up to and including `revision`. Together the
   * calls cover every revision from the start revision on: none is skipped, none is split, none comes twice.
   */
  onEvents(events: readonly WatchEvent[], revision: number): void;
  /** Nothing under the prefix changed up to `revision` (etcd's progress notification). */
  onProgress?(revision: number): void;
  /** The connection broke; the watch resumes by itself from its next revision. */
  onDisconnected?(error: Error): void;
  /** The watch is established (again) at its next revision. */
  onConnected?(): void;
  /**
   * The watch cannot go on from its next revision (its history was compacted: a CompactedError; or etcd cancelled
   * it, or that revision cannot be received). It has ended; the owner reads the prefix again and watches anew.
   */
  onReset(error: Error): void;
}

/** WatchOptions tune a watch. */
export interface WatchOptions {
  /** Ask etcd for each event's previous value. */
  readonly prevKv?: boolean;
  /** Reconnection backoff bounds. Default 200 ms to 5 s. */
  readonly retryMinMs?: number;
  readonly retryMaxMs?: number;
}

/** PrefixWatch is a running watch. */
export interface PrefixWatch {
  /** The first revision not yet delivered: where the watch resumes after a broken connection. */
  readonly nextRevision: number;
  /** cancel ends the watch; no handler is called after it. */
  cancel(): void;
}

/** gRPC's status code for a message over the receiver's limit. */
const GRPC_RESOURCE_EXHAUSTED = 8;

type WatchStream = Awaited<ReturnType<Etcd3["watchClient"]["watch"]>>;

/**
 * watchPrefix watches every key under prefix from fromRevision on, and proves continuity itself instead of trusting
 * the etcd3 library's resume (which moves its resume point to the header revision of any response, including ones
 * that carry only part of the events up to it, and to the current revision on every reconnect, and so skips
 * revisions after a break). It tracks the first revision not delivered and after a broken stream re-creates the
 * watch at exactly that revision; etcd then replays from there or says the history is compacted, which ends the
 * watch with onReset.
 *
 * One revision is one message, as large as the revision (a range delete of 150,000 keys is 7.7 MB). etcd 3.4 can
 * fragment it, but asked to, it did not deliver such a delete within 20 s in our tests; so connectEtcd's clients
 * accept messages up to MAX_MESSAGE_BYTES instead, and a revision larger than the client accepts ends the watch with
 * onReset (read again) rather than being retried for ever or skipped.
 */
export function watchPrefix(client: Etcd3, prefix: string, fromRevision: number, handlers: WatchHandlers, options: WatchOptions = {}): PrefixWatch {
  return new Follower(client, prefix, fromRevision, handlers, options);
}

class Follower implements PrefixWatch {
  nextRevision: number;
  private stream: WatchStream | undefined;
  private generation = 0;
  private ended = false;
  private retryMs: number;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly client: Etcd3,
    private readonly prefix: string,
    fromRevision: number,
    private readonly handlers: WatchHandlers,
    private readonly options: WatchOptions,
  ) {
    this.nextRevision = fromRevision;
    this.retryMs = options.retryMinMs ?? 200;
    this.connect();
  }

  cancel(): void {
    this.end();
  }

  private connect(): void {
    const generation = ++this.generation;
    this.client.watchClient.watch().then(
      (stream) => {
        if (this.ended || generation !== this.generation) return void stream.cancel();
        this.stream = stream;
        stream.on("data", (response: IWatchResponse) => this.onResponse(response, generation));
        stream.on("error", (error: Error) => this.broken(error, generation));
        stream.on("end", () => this.broken(new Error("etcd ended the watch stream"), generation));
        stream.write({
          create_request: {
            key: Buffer.from(this.prefix),
            range_end: prefixEnd(this.prefix),
            start_revision: this.nextRevision,
            progress_notify: true,
            prev_kv: this.options.prevKv === true,
          },
        });
      },
      (error: unknown) => this.broken(error as Error, generation),
    );
  }

  private onResponse(response: IWatchResponse, generation: number): void {
    if (this.ended || generation !== this.generation) return;
    if (response.canceled) {
      // etcd 3.4 cancels a watch whose start revision is compacted with compact_revision set and no reason.
      const compacted = Number(response.compact_revision) > 0;
      return this.reset(compacted ? new CompactedError(this.nextRevision) : new Error(`etcd cancelled the watch: ${response.cancel_reason || "no reason given"}`));
    }
    if (response.created) {
      this.call(() => this.handlers.onConnected?.());
      return;
    }
    const raw = response.events;
    this.retryMs = this.options.retryMinMs ?? 200; // progress: the connection works
    if (raw.length === 0) {
      // A progress notification goes only to a watch that has been sent everything up to its header revision.
      const revision = Number(response.header.revision);
      if (revision < this.nextRevision) return;
      this.nextRevision = revision + 1;
      this.call(() => this.handlers.onProgress?.(revision));
      return;
    }
    // Not the header revision: a catching-up watch may get a batch whose header is ahead of its last event.
    const revision = Number(raw[raw.length - 1]!.kv.mod_revision);
    this.nextRevision = revision + 1;
    this.call(() => this.handlers.onEvents(raw.map(toWatchEvent), revision));
  }

  // A handler that throws would do so inside gRPC's stream listener; it ends the watch instead, and the owner reloads.
  private call(handler: () => void): void {
    try {
      handler();
    } catch (error) {
      this.reset(error as Error);
    }
  }

  private broken(error: Error, generation: number): void {
    if (this.ended || generation !== this.generation) return;
    this.generation++; // late events of the broken stream are ignored
    this.stream?.cancel();
    this.stream = undefined;
    if ((error as { code?: unknown }).code === GRPC_RESOURCE_EXHAUSTED) {
      // The next revision does not fit in a message: asking again would fail the same way for ever.
      return this.reset(new Error(`etcd revision ${this.nextRevision} cannot be received: ${error.message}`, { cause: error }));
    }
    this.call(() => this.handlers.onDisconnected?.(error));
    if (this.ended) return;
    this.timer = setTimeout(() => this.connect(), this.retryMs);
    this.retryMs = Math.min(this.retryMs * 2, this.options.retryMaxMs ?? 5000);
  }

  private reset(error: Error): void {
    if (this.ended) return;
    this.end();
    this.handlers.onReset(error);
  }

  private end(): void {
    this.ended = true;
    this.generation++;
    clearTimeout(this.timer);
    this.stream?.cancel();
    this.stream = undefined;
  }
}

function toWatchEvent(event: IEvent): WatchEvent {
  return {
    type: event.type === "Put" ? "put" : "delete",
    key: event.kv.key.toString("utf8"),
    value: event.type === "Put" ? event.kv.value : Buffer.alloc(0),
    modRevision: Number(event.kv.mod_revision),
    // gRPC decodes an absent message as null, whatever the library's types say.
    prevValue: event.prev_kv?.value ?? undefined,
    prevModRevision: event.prev_kv == null ? undefined : Number(event.prev_kv.mod_revision),
  };
}
