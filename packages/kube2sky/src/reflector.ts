import { setTimeout as sleep } from "node:timers/promises";
import type { KubernetesObject } from "@kubernetes/client-node";
import type { Logger } from "@kube-dns/log";
import type { ProgrammedChange } from "@kube-dns/msg";
import { Backoff } from "./backoff.js";
import { changeOf, secondsBetween } from "./latency.js";
import type { Metrics } from "./metrics.js";
import { type ListFn, listPages } from "./pager.js";
import type { UnitId } from "./unit.js";

/** Kind says how to list and watch one kind of object, and what its objects do to the store. */
export interface Kind {
  /** The kind in metrics and logs: `service`, `endpointslice`, `endpoints`, `pod` or `configmap`. */
  readonly kind: string;
  /** The collection's URL path across all namespaces, for the watch. */
  readonly path: string;
  /** A field selector the list and the watch both carry, so the server sends only objects the records need. */
  readonly fieldSelector?: string | undefined;
  readonly list: ListFn;
  /** upsert converts an API object to its slim form and stores that; the API object itself is not kept. */
  readonly upsert: (obj: KubernetesObject) => UnitId[];
  /** remove forgets the object `namespace/name`. */
  readonly remove: (key: string) => UnitId[];
  /** held lists the `namespace/name` of every object of this kind the store holds. */
  readonly held: () => Iterable<string>;
}

/** Watcher opens one watch request (PacedWatch does); done is called once, when it ends. */
export interface Watcher {
  watch(
    path: string,
    queryParams: Record<string, string | number | boolean | undefined>,
    callback: (phase: string, apiObj: unknown) => void,
    done: (err: unknown) => void,
  ): Promise<AbortController>;
  /** close makes later watch() calls no-ops. */
  close(): void;
}

/** ReflectorOptions are what a reflector needs from its owner. */
export interface ReflectorOptions {
  readonly watcher: Watcher;
  readonly metrics: Metrics;
  readonly log: Logger;
  /** Called with the units a watch event affects, and the event as the programmed key names it (its times included). */
  readonly onChange: (units: UnitId[], change: ProgrammedChange) => void;
  /** Called with the kind after each complete list, and with undefined when a watch resumed after a failure without one. */
  readonly onListed: (kind: string | undefined) => void;
}

const EVENT_TYPES: Readonly<Record<string, "add" | "update" | "delete">> = { ADDED: "add", MODIFIED: "update", DELETED: "delete" };

/**
 * Reflector keeps the store's objects of one kind equal to the API server's, as client-go's reflector does: a list
 * in pages, then a watch (with bookmarks) from the list's resourceVersion, tracking the resourceVersion of every
 * event. Objects become slim as they arrive; a page of full objects is the most it holds. 410 Gone or Expired on the
 * watch means the history is compacted: it lists again, and an object the store holds but the new list lacks is
 * removed. Any other failure restarts it with backoff, the watch resuming where it was when it can.
 */
export class Reflector {
  private resourceVersion: string | undefined; // where the next watch starts; undefined: list first
  private readonly backoff = new Backoff(200, 5_000);
  private readonly stopping = new AbortController();
  private endWatch: (() => void) | undefined;
  private loop: Promise<void> | undefined;
  private failing = false;

  constructor(
    private readonly kind: Kind,
    private readonly options: ReflectorOptions,
  ) {}

  /** start runs the list and watch loop until stop(). */
  start(): void {
    this.loop ??= this.run();
  }

  /** stop aborts the request in progress and resolves once the loop has ended. */
  async stop(): Promise<void> {
    this.stopping.abort();
    this.options.watcher.close();
    this.endWatch?.();
    await this.loop;
  }

  private async run(): Promise<void> {
    let restarted = false;
    while (!this.stopping.signal.aborted) {
      try {
        const listed = this.resourceVersion === undefined;
        this.resourceVersion ??= await this.relist();
        await this.watch(this.resourceVersion, () => {
          if (this.failing) this.options.log.warn({ kind: this.kind.kind }, "list/watch recovered");
          this.failing = false;
          this.backoff.reset();
          // The watch resumed without a list: reconcile all the same, as after any restart.
          if (restarted && !listed) this.options.onListed(undefined);
          restarted = false;
        });
      } catch (error) {
        if (this.stopping.signal.aborted) return;
        restarted = true;
        await this.failed(error);
      }
    }
  }

  private async relist(): Promise<string> {
    const seen = new Set<string>();
    const resourceVersion = await listPages(
      this.kind.list,
      (items) => {
        for (const obj of items) {
          seen.add(keyOf(obj));
          this.apply(obj, () => this.kind.upsert(obj));
        }
      },
      this.stopping.signal,
    );
    // Held but not listed: deleted while no watch was looking.
    for (const key of [...this.kind.held()]) if (!seen.has(key)) this.kind.remove(key);
    this.options.onListed(this.kind.kind);
    return resourceVersion;
  }

  // watch runs one watch request until it ends: it resolves on a clean end or on expiry (then resourceVersion is
  // cleared, so the next round lists), and rejects on a failure.
  private watch(from: string, onConnected: () => void): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      let controller: AbortController | undefined;
      let failure: Error | undefined;
      let expired = false;
      let finished = false;
      const finish = (err: unknown): void => {
        if (finished) return;
        finished = true;
        this.endWatch = undefined;
        controller?.abort();
        if (expired || isExpired(err)) {
          this.options.log.info({ kind: this.kind.kind, resourceVersion: from }, "watch expired; listing again");
          this.resourceVersion = undefined;
          resolve();
        } else if (failure !== undefined || (err !== null && err !== undefined)) reject(failure ?? err);
        else resolve();
      };
      // A watch still waiting for its turn when stopped never calls done.
      this.endWatch = () => finish(null);
      const callback = (phase: string, obj: unknown): void => {
        if (phase !== "ERROR") return this.onEvent(phase, obj as KubernetesObject);
        if (isExpired(obj)) expired = true;
        else failure = new Error(`watch ended with an error: ${JSON.stringify(obj)}`);
        controller?.abort();
      };
      const params = { resourceVersion: from, allowWatchBookmarks: true, fieldSelector: this.kind.fieldSelector };
      this.options.watcher.watch(this.kind.path, params, callback, finish).then((opened) => {
        controller = opened;
        if (finished || expired || failure !== undefined) opened.abort();
        else onConnected();
      }, finish);
    });
  }

  private onEvent(phase: string, obj: KubernetesObject): void {
    const type = EVENT_TYPES[phase];
    if (type !== undefined) {
      const { metrics } = this.options;
      const change = changeOf(this.kind.kind, type, obj, Date.now());
      metrics.eventsTotal.inc({ kind: this.kind.kind, type });
      if (change.triggerAt !== undefined) metrics.triggerToSeenSeconds.observe({ kind: change.kind, trigger: change.trigger }, secondsBetween(change.triggerAt, change.seenAt));
      this.options.onChange(this.apply(obj, () => (type === "delete" ? this.kind.remove(keyOf(obj)) : this.kind.upsert(obj))), change);
    } else if (phase !== "BOOKMARK") return;
    const resourceVersion = obj.metadata?.resourceVersion;
    if (resourceVersion !== undefined && resourceVersion !== "") this.resourceVersion = resourceVersion;
  }

  // An object that cannot be read is skipped and counted; it must not stop the list or the watch.
  private apply(obj: KubernetesObject, change: () => UnitId[]): UnitId[] {
    try {
      return change();
    } catch (error) {
      this.options.metrics.skippedTotal.inc();
      this.options.log.warn({ kind: this.kind.kind, object: keyOf(obj), err: error }, "skipped an object that could not be read");
      return [];
    }
  }

  private async failed(error: unknown): Promise<void> {
    this.options.metrics.watchErrorsTotal.inc({ kind: this.kind.kind });
    const delayMs = this.backoff.next();
    // The first failure of a streak is a warning, its retries debug lines.
    const level = this.failing ? "debug" : "warn";
    this.options.log[level]({ kind: this.kind.kind, err: error, retryInSeconds: delayMs / 1000 }, "list/watch failed; restarting");
    this.failing = true;
    await sleep(delayMs, undefined, { signal: this.stopping.signal }).catch(() => undefined);
  }
}

/** keyOf names an API object the way Kind.held and Kind.remove do: `namespace/name`. */
export function keyOf(obj: KubernetesObject): string {
  return `${obj.metadata?.namespace ?? ""}/${obj.metadata?.name ?? ""}`;
}

/** isExpired tells whether an error or a Status is 410 Gone or Expired: the resourceVersion or continue token is compacted away. */
export function isExpired(value: unknown): boolean {
  if (typeof value !== "object" || value === null) return false;
  const { code, statusCode, reason } = value as { code?: unknown; statusCode?: unknown; reason?: unknown };
  return code === 410 || statusCode === 410 || reason === "Expired" || reason === "Gone";
}
