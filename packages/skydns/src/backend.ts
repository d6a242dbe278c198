import { connectEtcd, explainEtcdError, readPrefix, watchPrefix, type PrefixWatch, type WatchEvent } from "@kube-dns/etcd-feed";
import type { Etcd3 } from "etcd3";
import type { Logger } from "@kube-dns/log";
import type { IndexStore, KeyChange } from "./index-store.js";
import type { Stats } from "./stats.js";

/** WatchState says how current the index is: loading (nothing yet), watching, disconnected (serving what is known). */
export type WatchState = "loading" | "watching" | "disconnected" | "stopped";

/** BackendOptions tells the backend where the records are and whom to tell about changes. */
export interface BackendOptions {
  readonly machines: readonly string[];
  /** TLS to etcd: the CA of its certificate, and our client certificate and key when it asks for one. */
  readonly caFile?: string | undefined;
  readonly certFile?: string | undefined;
  readonly keyFile?: string | undefined;
  readonly prefix: string;
  readonly store: IndexStore;
  readonly stats: Stats;
  readonly log: Logger;
  /** Hears the names whose records changed, after the index has them. */
  readonly onChange: (names: ReadonlySet<string>) => void;
  /** The key of skydns's own configuration under the prefix: not a record, so it goes to onConfig instead. */
  readonly configKey: string;
  /**
   * Hears the config key's value (undefined: no key) with its revision, after each read of the prefix and each watch
   * delivery that touches it, after the records of the same revisions.
   */
  readonly onConfig: (value: string | undefined, modRevision: number) => void;
  /** The key kube2sky rewrites with each batch of watch events (msg programmedKeyFor): not a record either. */
  readonly programmedKey?: string | undefined;
  /** Hears the programmed key's new value from the watch, after the records of its revision are in the index. */
  readonly onProgrammed?: (value: string) => void;
}

const RETRY_MIN_MS = 200;
const RETRY_MAX_MS = 5000;

/**
 * EtcdBackend is the only module that knows etcd. It reads the prefix in pages at one revision, then watches from
 * the next revision, and applies each watch delivery (whole revisions) to the index at once. The watch resumes
 * after a broken connection at exactly the revision after the last one applied; when it cannot (compacted history,
 * a revision too large to receive), the prefix is read again and replaces the index in one step. So the index is
 * always the state of etcd at the revision it reports, and never skips a revision. While etcd is unreachable the
 * index keeps serving what it holds.
 */
export class EtcdBackend {
  state: WatchState = "loading";
  private readonly client: Etcd3;
  private watch: PrefixWatch | undefined;
  private stopped = false;
  private wake: (() => void) | undefined;
  private readonly firstLoad: Promise<void>;
  private resolveFirstLoad: () => void = () => {};
  private rejectFirstLoad: (error: Error) => void = () => {};

  constructor(private readonly options: BackendOptions) {
    this.client = connectEtcd({ endpoints: options.machines, caFile: options.caFile, certFile: options.certFile, keyFile: options.keyFile });
    this.firstLoad = new Promise((resolve, reject) => {
      this.resolveFirstLoad = resolve;
      this.rejectFirstLoad = reject;
    });
    // Nobody may be waiting: a stop before the first load must not become an unhandled rejection.
    this.firstLoad.catch(() => undefined);
  }

  /** start begins loading and watching in the background; it never rejects. */
  start(): void {
    void this.load();
  }

  /** loaded resolves once the first full read is in the index; it rejects when stopped before that. */
  loaded(): Promise<void> {
    return this.firstLoad;
  }

  /** stop cancels the watch and closes the etcd client. */
  stop(): Promise<void> {
    this.stopped = true;
    this.state = "stopped";
    this.rejectFirstLoad(new Error("skydns stopped before the records were loaded from etcd"));
    this.wake?.();
    this.watch?.cancel();
    this.client.close();
    return Promise.resolve();
  }

  // Reads the whole prefix (retrying with backoff until it succeeds or skydns stops), then watches from there.
  private async load(): Promise<void> {
    const { prefix, store, stats, log } = this.options;
    for (let delayMs = RETRY_MIN_MS; !this.stopped; delayMs = Math.min(delayMs * 2, RETRY_MAX_MS)) {
      try {
        const snapshot = await readPrefix(this.client, `${prefix}/`);
        if (this.stopped) return;
        const { configKey, programmedKey } = this.options;
        // A reload times nothing: the programmed key it reads may be hours old.
        const changed = store.replaceAll(snapshot.entries.filter((kv) => kv.key !== configKey && kv.key !== programmedKey), snapshot.revision, nowSeconds());
        stats.reloads++;
        this.options.onChange(changed);
        // A reload applies the key too: a change missed while the watch was lost is caught here.
        const config = snapshot.entries.find((kv) => kv.key === configKey);
        this.options.onConfig(config?.value.toString("utf8"), config?.modRevision ?? snapshot.revision);
        log.info({ records: store.recordCount, revision: snapshot.revision }, "loaded records from etcd");
        this.resolveFirstLoad();
        this.follow(snapshot.revision + 1);
        return;
      } catch (error) {
        if (this.stopped) return;
        // Once per streak of failures at warn; the retries after it at debug, to keep the log quiet.
        const level = delayMs === RETRY_MIN_MS ? "warn" : "debug";
        log[level]({ err: explainEtcdError(error), retryInSeconds: delayMs / 1000 }, "cannot read records from etcd");
        if (this.state !== "loading") this.state = "disconnected";
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, delayMs);
          this.wake = () => {
            clearTimeout(timer);
            resolve();
          };
        });
      }
    }
  }

  private follow(fromRevision: number): void {
    const { prefix, store, stats, log } = this.options;
    this.watch = watchPrefix(this.client, `${prefix}/`, fromRevision, {
      onEvents: (events, revision) => {
        stats.watchEvents += events.length;
        const { configKey, programmedKey } = this.options;
        let config: WatchEvent | undefined;
        let programmed: WatchEvent | undefined;
        const records: KeyChange[] = [];
        for (const event of events) {
          if (event.key === configKey) config = event;
          else if (event.key === programmedKey) programmed = event;
          else records.push(toKeyChange(event));
        }
        this.options.onChange(store.apply(records, revision, nowSeconds()));
        if (programmed?.type === "put") this.options.onProgrammed?.(programmed.value.toString("utf8"));
        // Only the last change of the key in the delivery counts: it is the value as of `revision`.
        if (config !== undefined) this.options.onConfig(config.type === "put" ? config.value.toString("utf8") : undefined, config.modRevision);
      },
      onProgress: (revision) => store.advance(revision),
      onConnected: () => {
        if (this.state === "disconnected") log.info({ revision: store.revision }, "etcd watch resumed");
        this.state = "watching";
      },
      onDisconnected: (error) => {
        if (this.state === "watching") log.warn({ err: explainEtcdError(error), revision: store.revision }, "lost the etcd watch; serving the records known");
        this.state = "disconnected";
      },
      onReset: (error) => {
        // The watch cannot prove it missed nothing after store.revision: read everything again.
        log.warn({ err: error.message, revision: store.revision }, "etcd watch cannot continue; reloading");
        this.watch = undefined;
        this.state = "disconnected";
        if (!this.stopped) this.start();
      },
    });
  }
}

function toKeyChange(event: WatchEvent): KeyChange {
  return { key: event.key, value: event.type === "put" ? event.value : undefined };
}

function nowSeconds(): number {
  return Math.floor(Date.now() / 1000);
}
