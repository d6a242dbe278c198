import type { Logger } from "@kube-dns/log";
import type { Resource } from "../api/resources.js";
import type { KubeObject } from "../api/types.js";
import type { StoreEvent, StoreWatch } from "../storage/etcd-watch.js";
import type { Feed } from "./feed.js";

/** SyncResult is what one sync did; after a "conflict" (a write raced ours) the key is synced again at once. */
export type SyncResult = "written" | "unchanged" | "conflict";

/**
 * Retry is what follows a failed sync: a full resync retryMs later (one planned at a time), or that key alone again
 * after a delay that doubles with each of its failures, from retryMs up to maxMs, while the other keys carry on.
 */
export type Retry = { readonly by: "resync" } | { readonly by: "backoff"; readonly maxMs: number };

/** Relisted is a controller's answer to a full resync's lists: every key to sync, and what to drop once they are synced. */
export interface Relisted {
  readonly keys: Iterable<string>;
  readonly synced?: () => void;
}

/** ControllerSpec describes a controller to its loop: what it reads, which keys come due, how a key is synced and retried. */
export interface ControllerSpec {
  /** Names the controller in logs: `endpoints controller`. */
  readonly name: string;
  /** The resources listed (in every namespace) at each full resync, then watched from the revision after their list. */
  readonly watched: readonly Resource[];
  readonly retry: Retry;
  /** resyncing hears that a full resync begins, before anything is listed. */
  resyncing?(): void;
  /** relist files a full resync's lists, by resource, before their watches start, and names every key to sync. */
  relist(lists: ReadonlyMap<Resource, readonly KubeObject[]>): Relisted | Promise<Relisted>;
  /** changed files one watched change and names the keys it may concern. */
  changed(resource: Resource, event: StoreEvent): Iterable<string>;
  /** sync brings one key in step with what is stored; a throw is a failure, retried as retry says. */
  sync(key: string): Promise<SyncResult>;
  /** isConflict tells a thrown error that only lost a race: counted as a conflict, and the key synced again at once. */
  isConflict?(error: unknown): boolean;
  /** counted hears the outcome of every sync, for the controller's metric. */
  counted(key: string, result: SyncResult | "error"): void;
}

/** LoopDeps are where the loop reads and logs; retryMs is the delay before a resync or a key's first retry, 1 s by default. */
export interface LoopDeps {
  readonly feed: Feed;
  readonly log: Logger;
  readonly retryMs?: number;
}

// A timer longer than setTimeout's 24.8 days fires at once; an hour is soon enough to look again.
const MAX_DELAY_MS = 3_600_000;

/**
 * ControllerLoop runs a controller the way kube-controller-manager runs its own: it lists every watched resource,
 * watches each from the revision after its list, queues the keys the lists and the changes name (a waiting key once),
 * and syncs one key at a time in arrival order. It lists and watches afresh at start and after a broken watch, so
 * whatever changed while nothing was watching is repaired.
 */
export class ControllerLoop {
  private watches: StoreWatch[] = [];
  private readonly queue = new Set<string>();
  private readonly failures = new Map<string, number>();
  private readonly timers = new Map<string, { readonly timer: NodeJS.Timeout; readonly due: number }>();
  private draining: Promise<void> = Promise.resolve();
  private resyncTimer: NodeJS.Timeout | undefined;
  private stopped = false;

  constructor(
    private readonly deps: LoopDeps,
    private readonly spec: ControllerSpec,
  ) {}

  /** skipped warns of a value that is not a JSON object (written straight into etcd): reads leave it out, it is not fatal. */
  readonly skipped = (key: string, error: Error): void => this.deps.log.warn({ err: error, key }, `${this.spec.name} skipped a value that is not a JSON object`);

  /** start runs the first full resync and syncs every key it names; when that fails, nothing is left running. */
  async start(): Promise<void> {
    try {
      await this.resync();
    } catch (error) {
      await this.stop();
      throw error;
    }
  }

  /** stop ends the watches and the planned retries, and waits for the sync under way. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.resyncTimer);
    for (const { timer } of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
    await this.cancelWatches();
    await this.draining;
  }

  /** add queues a key to sync. */
  add(key: string): void {
    this.queue.add(key);
    this.kick();
  }

  /** addAfter queues a key after ms; with one already planned for the key, the sooner stands. */
  addAfter(key: string, wantedMs: number): void {
    const ms = Math.min(wantedMs, MAX_DELAY_MS);
    const due = Date.now() + ms;
    const planned = this.timers.get(key);
    if (this.stopped || (planned !== undefined && planned.due <= due)) return;
    clearTimeout(planned?.timer);
    const timer = setTimeout(() => {
      this.timers.delete(key);
      this.add(key);
    }, ms);
    this.timers.set(key, { timer, due });
  }

  private async resync(): Promise<void> {
    await this.cancelWatches();
    this.spec.resyncing?.();
    const read = await this.readLists();
    if (read === undefined) return;
    for (const [resource, revision] of read.revisions) {
      const onEvents = (events: StoreEvent[]): void => this.changed(resource, events);
      this.watches.push(this.deps.feed.watch(resource, revision + 1, { onEvents, onError: (error) => this.broken(error), onUndecodable: this.skipped }));
    }
    for (const key of read.relisted.keys) this.queue.add(key);
    this.kick();
    await this.draining;
    read.relisted.synced?.();
  }

  // Reads every watched resource, each list at one revision, and hands the lists to the controller; undefined once stopped.
  private async readLists(): Promise<{ revisions: Map<Resource, number>; relisted: Relisted } | undefined> {
    const lists = new Map<Resource, readonly KubeObject[]>();
    const revisions = new Map<Resource, number>();
    for (const resource of this.spec.watched) {
      const listed = await this.deps.feed.list(resource, this.skipped);
      lists.set(resource, listed.items);
      revisions.set(resource, listed.revision);
    }
    if (this.stopped) return undefined;
    const relisted = await this.spec.relist(lists);
    // A watch started after stop() would never be cancelled.
    return this.stopped ? undefined : { revisions, relisted };
  }

  private async cancelWatches(): Promise<void> {
    const watches = this.watches;
    // Emptied at once, so a resync that fails half-way leaves nothing running that the next one cannot cancel.
    this.watches = [];
    await Promise.all(watches.map((w) => w.cancel()));
  }

  private changed(resource: Resource, events: readonly StoreEvent[]): void {
    for (const event of events) for (const key of this.spec.changed(resource, event)) this.queue.add(key);
    this.kick();
  }

  private broken(error: Error): void {
    this.deps.log.warn({ err: error }, `${this.spec.name} watch ended; resyncing`);
    this.resyncLater();
  }

  private resyncLater(): void {
    if (this.stopped || this.resyncTimer !== undefined) return;
    this.resyncTimer = setTimeout(() => {
      this.resyncTimer = undefined;
      if (!this.stopped) this.resync().catch((error: unknown) => this.broken(error as Error));
    }, this.deps.retryMs ?? 1000);
  }

  private kick(): void {
    this.draining = this.draining.then(() => this.drain());
  }

  // One sync at a time, in arrival order. A failed sync never stops the others.
  private async drain(): Promise<void> {
    while (!this.stopped && this.queue.size > 0) {
      const key = this.queue.values().next().value as string;
      this.queue.delete(key);
      await this.syncOne(key);
    }
  }

  private async syncOne(key: string): Promise<void> {
    let result: SyncResult;
    try {
      result = await this.spec.sync(key);
    } catch (error) {
      if (this.spec.isConflict?.(error) === true) {
        this.spec.counted(key, "conflict");
        this.queue.add(key);
        return;
      }
      this.spec.counted(key, "error");
      this.failed(key, error);
      return;
    }
    this.spec.counted(key, result);
    this.failures.delete(key);
    // A write raced ours: the object's newer version is what the next round works from.
    if (result === "conflict") this.queue.add(key);
  }

  private failed(key: string, error: unknown): void {
    const { retry } = this.spec;
    if (retry.by === "resync") {
      this.deps.log.warn({ err: error, key }, `${this.spec.name} sync failed; resyncing later`);
      this.resyncLater();
      return;
    }
    const failures = (this.failures.get(key) ?? 0) + 1;
    this.failures.set(key, failures);
    this.deps.log.warn({ err: error, key, failures }, `${this.spec.name} sync failed; retrying later`);
    this.addAfter(key, Math.min(retry.maxMs, (this.deps.retryMs ?? 1000) * 2 ** (failures - 1)));
  }
}
