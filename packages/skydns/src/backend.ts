import { Etcd3, type IWatchResponse, type Watcher } from "etcd3";
import type { IndexStore, KeyChange } from "./index-store.js";
import type { Logger } from "@kube-dns/log";
import type { Stats } from "./stats.js";

/** WatchState says how current the index is: loading (nothing yet), watching, disconnected (serving what is known). */
export type WatchState = "loading" | "watching" | "disconnected" | "stopped";

/** BackendOptions tells the backend where the records are and whom to tell about changes. */
export interface BackendOptions {
  readonly machines: readonly string[];
  readonly prefix: string;
  readonly store: IndexStore;
  readonly stats: Stats;
  readonly log: Logger;
  /** Hears the names whose records changed, after the index has them. */
  readonly onChange: (names: ReadonlySet<string>) => void;
}

const RETRY_MIN_MS = 200;
const RETRY_MAX_MS = 5000;

/**
 * EtcdBackend is the only module that knows etcd. It reads the prefix once (one range read), then watches
 * from that revision + 1 and applies each watch response (whole revisions: a transaction is one revision)
 * to the index at once. A lost watch resumes from its last revision (the etcd3 client does that); a
 * cancelled one (compacted history) is replaced by a fresh read and watch. While etcd is unreachable the
 * index keeps serving what it holds.
 */
export class EtcdBackend {
  state: WatchState = "loading";
  private readonly client: Etcd3;
  private watcher: Watcher | undefined;
  private stopped = false;
  private wake: (() => void) | undefined;
  private readonly firstLoad: Promise<void>;
  private resolveFirstLoad: () => void = () => {};
  private rejectFirstLoad: (error: Error) => void = () => {};

  constructor(private readonly options: BackendOptions) {
    this.client = new Etcd3({ hosts: [...options.machines], dialTimeout: 3000 });
    this.firstLoad = new Promise((resolve, reject) => {
      this.resolveFirstLoad = resolve;
      this.rejectFirstLoad = reject;
    });
    // Nobody may be waiting: a stop before the first load must not become an unhandled rejection.
    this.firstLoad.catch(() => undefined);
  }

  /** start begins loading and watching in the background; it never rejects. */
  start(): void {
    void this.run();
  }

  /** loaded resolves once the first full read is in the index; it rejects when stopped before that. */
  loaded(): Promise<void> {
    return this.firstLoad;
  }

  /** stop cancels the watch and closes the etcd client. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.state = "stopped";
    this.rejectFirstLoad(new Error("skydns stopped before the records were loaded from etcd"));
    this.wake?.();
    await this.watcher?.cancel().catch(() => undefined);
    this.client.close();
  }

  private async run(): Promise<void> {
    let delayMs = RETRY_MIN_MS;
    while (!this.stopped) {
      try {
        await this.loadAndWatch();
        return;
      } catch (error) {
        if (this.stopped) return;
        // Once per streak of failures at warn; the retries after it at debug, to keep the log quiet.
        const level = delayMs === RETRY_MIN_MS ? "warn" : "debug";
        this.options.log[level]({ err: (error as Error).message, retryInSeconds: delayMs / 1000 }, "cannot read records from etcd");
        if (this.state !== "loading") this.state = "disconnected";
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, delayMs);
          this.wake = () => {
            clearTimeout(timer);
            resolve();
          };
        });
        delayMs = Math.min(delayMs * 2, RETRY_MAX_MS);
      }
    }
  }

  private async loadAndWatch(): Promise<void> {
    const { prefix, store, stats, log } = this.options;
    const response = await this.client.getAll().prefix(`${prefix}/`).exec();
    if (this.stopped) return;
    const revision = Number(response.header.revision);
    const all: KeyChange[] = response.kvs.map((kv) => ({ key: kv.key.toString("utf8"), value: kv.value }));
    const changed = store.replaceAll(all, revision, nowSeconds());
    stats.reloads++;
    this.options.onChange(changed);
    log.info({ records: store.recordCount, revision }, "loaded records from etcd");
    this.resolveFirstLoad();
    const watcher = await this.client.watch().prefix(`${prefix}/`).startRevision(String(revision + 1)).create();
    if (this.stopped) {
      await watcher.cancel();
      return;
    }
    this.watcher = watcher;
    this.state = "watching";
    watcher.on("data", (res: IWatchResponse) => this.applyResponse(res));
    watcher.on("disconnected", (error: Error) => {
      if (this.state === "watching") log.warn({ err: error.message }, "lost the etcd watch; serving the records known");
      this.state = "disconnected";
    });
    watcher.on("connected", () => {
      if (this.state === "disconnected") log.info({ revision: store.revision }, "etcd watch resumed");
      this.state = "watching";
    });
    watcher.on("error", (error: Error) => {
      // The watch was cancelled by etcd (e.g. its start revision was compacted): read everything again.
      log.warn({ err: error.message }, "etcd cancelled the watch; reloading");
      this.watcher = undefined;
      this.state = "disconnected";
      void watcher.cancel().catch(() => undefined);
      if (!this.stopped) this.start();
    });
  }

  private applyResponse(res: IWatchResponse): void {
    if (res.events.length === 0) return;
    const changes: KeyChange[] = res.events.map((event) => ({
      key: event.kv.key.toString("utf8"),
      value: event.type === "Put" ? event.kv.value : undefined,
    }));
    const revision = Math.max(...res.events.map((event) => Number(event.kv.mod_revision)));
    this.options.stats.watchEvents += changes.length;
    const changed = this.options.store.apply(changes, revision, nowSeconds());
    this.options.onChange(changed);
  }
}

function nowSeconds(): number {
  return Math.floor(Date.now() / 1000);
}
