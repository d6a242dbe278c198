import { setTimeout as sleep } from "node:timers/promises";
import { encodeProgrammed, programmedKeyFor, type ProgrammedChange } from "@kube-dns/msg";
import { MAX_TXN_OPS, type Op, planTxns } from "./apply.js";
import { Backoff } from "./backoff.js";
import { unitRecords } from "./desired.js";
import { diffUnit, isEmpty, type UnitChange } from "./diff.js";
import type { RecordStore } from "./etcd.js";
import { type Fence, NotLeaderError } from "./fence.js";
import type { Logger } from "@kube-dns/log";
import type { Metrics } from "./metrics.js";
import { PendingChanges, secondsBetween } from "./latency.js";
import { timeSlicer } from "./slice.js";
import { Wakeup } from "./wakeup.js";
import { digestOf, OWNERS_PREFIX, Ownership } from "./ownership.js";
import type { Store } from "./store.js";
import type { UnitId } from "./unit.js";

/** ReconcilerOptions wires a Reconciler to its store, etcd and zone. */
export interface ReconcilerOptions {
  readonly store: Store;
  readonly etcd: RecordStore;
  /** The zone as a name, e.g. `cluster.local.`. */
  readonly zone: string;
  /** The record tree, `/skydns`. */
  readonly prefix: string;
  readonly metrics: Metrics;
  readonly log: Logger;
  readonly maxTxnOps?: number;
  readonly backoff?: Backoff;
  /** Hears that a transaction was refused for its fence: this instance no longer leads (it has stopped writing). */
  readonly onFenced?: () => void;
}

/**
 * Reconciler keeps etcd equal to what the store says, while it leads. Events mark units dirty; a full sync (first
 * sync, relist, resync, and the start of every term) reloads the registry and the record values from etcd and
 * reconciles every unit. Both go through one path: desired records, diff against what the unit owns, transactions,
 * each under the term's fence. A failed etcd call is retried with backoff; nothing is lost because desired state is
 * recomputed from the store on each try. It writes only between lead() and follow(): a standby keeps its caches warm
 * and its work queued, and a transaction refused for its fence ends the term at once.
 */
export class Reconciler {
  /** Resolves after the first full sync has been committed. */
  readonly ready: Promise<void>;
  private readonly ownership = new Ownership();
  private readonly dirty = new Set<UnitId>();
  private readonly backoff: Backoff;
  private fullPending = false;
  private synced = false;
  /** The term's fence while this instance leads; undefined while it stands by. */
  private fence: Fence | undefined;
  /** A full sync has been committed in this term: events may be written one by one. */
  private fresh = false;
  private stopped = false;
  /** Ends a wait for work (new work or stop) early; a backoff is ended early by stop alone (stopping). */
  private readonly wakeup = new Wakeup();
  private readonly stopping = new AbortController();
  private loop: Promise<void> | undefined;
  private markReady: () => void = () => {};
  private readonly reported = new Map<UnitId, string>();
  private idleWaiters: Array<() => void> = [];
  private failures = 0;
  private readonly pending = new PendingChanges();

  constructor(private readonly options: ReconcilerOptions) {
    this.backoff = options.backoff ?? new Backoff();
    this.ready = new Promise((resolve) => (this.markReady = resolve));
  }

  /** start runs the worker loop until stop(). */
  start(): void {
    this.loop ??= this.run();
  }

  /**
   * lead starts a term: writes go to etcd under fence from now on, starting with a full sync once one is requested
   * (the owner requests it once every kind is listed). Events queued meanwhile wait for that sync.
   */
  lead(fence: Fence): void {
    this.fence = fence;
    this.fresh = false;
    this.wakeup.poke();
  }

  /** follow ends the term: nothing is written until the next lead(), and the write in progress is the last. */
  follow(): void {
    this.fence = undefined;
    this.fresh = false;
    this.wakeup.poke();
  }

  /** leading tells whether this instance writes now. */
  get leading(): boolean {
    return this.fence !== undefined;
  }

  /**
   * markDirty queues units for recomputation; before the first full sync of a term they wait for it. change, the watch
   * event behind them, is timed when the transaction carrying their records commits, and named in the programmed key.
   */
  markDirty(units: readonly UnitId[], change?: ProgrammedChange): void {
    if (change !== undefined) this.pending.note(units, change);
    for (const unit of units) this.dirty.add(unit);
    this.wakeup.poke();
  }

  /** requestFullSync queues a reload from etcd and a reconcile of every unit. */
  requestFullSync(): void {
    this.fullPending = true;
    this.wakeup.poke();
  }

  /** whenIdle resolves once everything queued so far is written (or waits for the first full sync). */
  whenIdle(): Promise<void> {
    return new Promise((resolve) => {
      this.idleWaiters.push(resolve);
      this.wakeup.poke();
    });
  }

  /** stop ends the loop after the write in progress, if any. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.stopping.abort();
    this.wakeup.poke();
    await this.loop;
    for (const resolve of this.idleWaiters) resolve();
  }

  private async run(): Promise<void> {
    while (!this.stopped) {
      const fence = this.fence;
      if (fence !== undefined && this.fullPending) {
        this.fullPending = false;
        if (!(await this.attempt("full", () => this.fullSync(fence)))) this.fullPending = true;
      } else if (fence !== undefined && this.fresh && this.dirty.size > 0) {
        const units = [...this.dirty];
        this.dirty.clear();
        const ok = await this.attempt("incremental", () => this.reconcile(units, (u) => new Set(this.ownership.keysOf(u).keys()), fence));
        if (!ok) for (const unit of units) this.dirty.add(unit);
      } else {
        const waiters = this.idleWaiters;
        this.idleWaiters = [];
        for (const resolve of waiters) resolve();
        await this.wakeup.wait();
      }
    }
  }

  private async attempt(kind: "full" | "incremental", work: () => Promise<void>): Promise<boolean> {
    const end = this.options.metrics.syncDurationSeconds.startTimer({ kind });
    try {
      await work();
      end();
      this.backoff.reset();
      if (this.failures > 0) this.options.log.warn({ failures: this.failures }, "etcd sync recovered");
      this.failures = 0;
      return true;
    } catch (error) {
      if (error instanceof NotLeaderError) {
        // Deposed: a successor writes now. Stop at once; no backoff, nothing to retry in this term.
        if (this.fence === error.fence) this.follow();
        this.options.log.warn({ kind, fence: error.fence }, "a write was refused: no longer the leader; writes stop");
        this.options.onFenced?.();
        return false;
      }
      const delayMs = this.backoff.next();
      // Quiet during an outage: the first failure is a warning, the retries are debug lines.
      const level = this.failures++ === 0 ? "warn" : "debug";
      this.options.log[level]({ err: error, kind, retryInSeconds: delayMs / 1000 }, "etcd sync failed; will retry");
      // New work does not cut a backoff short (that is what it is for); stop does.
      await sleep(delayMs, undefined, { signal: this.stopping.signal }).catch(() => undefined);
      return false;
    }
  }

  private async fullSync(fence: Fence): Promise<void> {
    const owned = await this.reload();
    const units = new Set([...this.options.store.units(), ...owned.keys()]);
    await this.reconcile([...units], (unit) => owned.get(unit) ?? new Set(), fence);
    if (this.fence === fence) this.fresh = true;
    this.options.log.info({ units: units.size, records: this.ownership.size }, "full sync done");
    if (!this.synced) {
      this.synced = true;
      this.markReady();
    }
    this.wakeup.poke();
  }

  // reload reads the registry and the record values back from etcd, rebuilds the ownership mirror from them and
  // returns each unit's registered keys. The values go when it returns: at 50,000 services they are some 45 MiB.
  private async reload(): Promise<Map<UnitId, Set<string>>> {
    const { etcd, prefix, metrics } = this.options;
    try {
      const [records, registry] = await Promise.all([etcd.readPrefix(prefix + "/"), etcd.readPrefix(OWNERS_PREFIX)]);
      return this.ownership.load(registry, records, prefix);
    } catch (error) {
      metrics.etcdErrorsTotal.inc({ op: "read" });
      throw error;
    }
  }

  // ownedOf: a unit's registered keys. What etcd holds is the ownership mirror: the digests of the values as last read
  // (full sync) or written (events).
  private async reconcile(units: UnitId[], ownedOf: (unit: UnitId) => ReadonlySet<string>, fence: Fence): Promise<void> {
    const { store, zone, prefix, etcd, metrics } = this.options;
    // The work below is synchronous per unit; between units it yields the event loop now and then (timeSlicer).
    const pause = timeSlicer();
    const desired = new Map<UnitId, ReturnType<typeof unitRecords>>();
    for (const unit of units) {
      desired.set(unit, unitRecords(unit, store, zone, prefix));
      await pause();
    }
    const wantedBy = new Map<string, UnitId>();
    for (const [unit, set] of desired) for (const key of set.records.keys()) wantedBy.set(key, unit);
    const changes: UnitChange[] = [];
    // Each desired value is digested once: the diff compares the digests, and a changed unit's are what ownership keeps.
    const digestsOf = new Map<UnitId, Map<string, string>>();
    for (const [unit, set] of desired) {
      this.report(unit, set.skipped);
      const claimedByOther = (key: string): boolean =>
        this.ownership.claimedByOther(key, unit) || (wantedBy.get(key) ?? unit) !== unit;
      const digests = new Map<string, string>();
      const digest = (value: string, key: string): string => {
        const d = digestOf(value);
        digests.set(key, d);
        return d;
      };
      const change = diffUnit(unit, set.records, ownedOf(unit), this.ownership.keysOf(unit), claimedByOther, digest);
      await pause();
      if (isEmpty(change)) continue;
      changes.push(change);
      digestsOf.set(unit, digests);
    }
    const maxOps = this.options.maxTxnOps ?? MAX_TXN_OPS;
    const txns = planTxns(changes, maxOps);
    // Peeked, not taken: a failed commit keeps them for the retry.
    const events = this.pending.peek(units);
    const last = txns[txns.length - 1];
    if (last !== undefined && events.length > 0) {
      // In the last transaction, so skydns sees the key no sooner than every record it times.
      const marker: Op = { kind: "put", key: programmedKeyFor(prefix), value: encodeProgrammed({ sentAt: Date.now(), changes: events }) };
      if (last.length < maxOps) last.push(marker);
      else txns.push([marker]);
    }
    for (const ops of txns) {
      try {
        await etcd.commit(ops, fence);
      } catch (error) {
        if (error instanceof NotLeaderError) metrics.fencedTxnsTotal.inc();
        else metrics.etcdErrorsTotal.inc({ op: "txn" });
        throw error;
      }
      metrics.etcdTxnsTotal.inc();
      for (const op of ops) if (op.key !== programmedKeyFor(prefix)) metrics.etcdWritesTotal.inc({ op: op.kind });
    }
    const committedAt = Date.now();
    // Events whose units changed no record were programmed by nothing: they are dropped, not timed.
    for (const event of this.pending.take(units)) if (txns.length > 0) metrics.seenToCommittedSeconds.observe({ kind: event.kind }, secondsBetween(event.seenAt, committedAt));
    for (const change of changes) this.ownership.setDigests(change.unit, digestsOf.get(change.unit) ?? new Map());
    metrics.recordsManaged.set(this.ownership.size);
  }

  // Logs a unit's skip reasons once, not on every resync.
  private report(unit: UnitId, skipped: readonly string[]): void {
    const text = skipped.join("; ");
    if ((this.reported.get(unit) ?? "") === text) return;
    if (text === "") this.reported.delete(unit);
    else {
      this.reported.set(unit, text);
      this.options.metrics.skippedTotal.inc(skipped.length);
      this.options.log.warn({ unit, reasons: skipped }, "skipped bad data");
    }
  }
}
