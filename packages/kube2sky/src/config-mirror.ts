import { setTimeout as sleep } from "node:timers/promises";
import type { Etcd3 } from "etcd3";
import type { Logger } from "@kube-dns/log";
import { Backoff } from "./backoff.js";
import { CONFIG_KEY, writeConfig } from "./config-key.js";
import type { DnsConfig } from "./dns-config.js";
import { type Fence, NotLeaderError } from "./fence.js";
import type { Metrics } from "./metrics.js";
import { Wakeup } from "./wakeup.js";

/** ConfigMirrorOptions wire a ConfigMirror to etcd. */
export interface ConfigMirrorOptions {
  readonly client: Etcd3;
  /** The deadline of one read or transaction. */
  readonly timeoutMs: number;
  readonly metrics: Metrics;
  readonly log: Logger;
  readonly backoff?: Backoff;
  /** Hears that a write was refused for its fence: this instance no longer leads. */
  readonly onFenced?: () => void;
}

/**
 * ConfigMirror keeps kube2sky's fields of /skydns/config equal to the last good configuration of the ConfigMap, while
 * this instance leads: after every accepted change, at the start of every term and at every resync (an operator may
 * have edited the key). Until the ConfigMap has been read once it writes nothing, so a restart never clears what an
 * earlier leader wrote. A failed write is retried with backoff; one refused for its fence ends the term.
 */
export class ConfigMirror {
  private desired: DnsConfig | undefined;
  private fence: Fence | undefined;
  /** Counts changes of what should be written; `written` is the count the last successful write covered. */
  private generation = 0;
  private written = -1;
  private stopped = false;
  private readonly wakeup = new Wakeup();
  private readonly stopping = new AbortController();
  private readonly backoff: Backoff;
  private loop: Promise<void> | undefined;

  constructor(private readonly options: ConfigMirrorOptions) {
    this.backoff = options.backoff ?? new Backoff();
  }

  /** start runs the writer until stop(). */
  start(): void {
    this.loop ??= this.run();
  }

  /** set makes config the one to mirror: the ConfigMap's accepted content, or {} once it is gone. */
  set(config: DnsConfig): void {
    if (this.desired !== undefined && JSON.stringify(this.desired) === JSON.stringify(config)) return;
    this.desired = config;
    this.recheck();
  }

  /** lead starts a term: the configuration is written (if it differs) under fence. */
  lead(fence: Fence): void {
    this.fence = fence;
    this.recheck();
  }

  /** follow ends the term; nothing is written until the next lead(). */
  follow(): void {
    this.fence = undefined;
    this.wakeup.poke();
  }

  /** recheck reads the key again and writes it if it lost kube2sky's fields. */
  recheck(): void {
    this.generation++;
    this.wakeup.poke();
  }

  /** stop ends the writer after the write in progress. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.stopping.abort();
    this.wakeup.poke();
    await this.loop;
  }

  private async run(): Promise<void> {
    while (!this.stopped) {
      const { fence, desired, generation } = this;
      if (fence !== undefined && desired !== undefined && this.written !== generation) await this.write(desired, fence, generation);
      else await this.wakeup.wait();
    }
  }

  private async write(config: DnsConfig, fence: Fence, generation: number): Promise<void> {
    const { client, timeoutMs, metrics, log } = this.options;
    try {
      if (await writeConfig(client, config, fence, timeoutMs)) {
        metrics.configAppliedTotal.inc();
        log.info({ key: CONFIG_KEY, config }, "wrote the ConfigMap's configuration to etcd");
      }
      this.written = generation;
      this.backoff.reset();
    } catch (error) {
      if (error instanceof NotLeaderError) {
        metrics.fencedTxnsTotal.inc();
        if (this.fence === fence) this.fence = undefined;
        log.warn({ key: CONFIG_KEY }, "a write was refused: no longer the leader; writes stop");
        this.options.onFenced?.();
        return;
      }
      metrics.etcdErrorsTotal.inc({ op: "txn" });
      const delayMs = this.backoff.next();
      log.warn({ err: error, key: CONFIG_KEY, retryInSeconds: delayMs / 1000 }, "writing the configuration failed; will retry");
      await sleep(delayMs, undefined, { signal: this.stopping.signal }).catch(() => undefined);
    }
  }
}
