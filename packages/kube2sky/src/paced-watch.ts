import { type KubeConfig, Watch } from "@kubernetes/client-node";

/** WatchPacing bounds how long one watch request lives and how soon the next may start. */
export interface WatchPacing {
  /** Asked of the server (`timeoutSeconds`); the client gives up itself a little later. */
  readonly timeoutSeconds: number;
  /** The least time between the starts of two watch requests. */
  readonly minGapMs: number;
}

/** The defaults: a watch lives about five minutes, and restarts come at most once a second. */
export const DEFAULT_WATCH_PACING: WatchPacing = { timeoutSeconds: 300, minGapMs: 1000 };

const CLIENT_GRACE_MS = 30_000;

/**
 * PacedWatch is client-node's Watch with two guards the library lacks. Each request carries `timeoutSeconds` and
 * is aborted by the client if the server has not ended it 30 s after that, so a connection that died without a
 * FIN is noticed (the library's own timeout is overwritten before use in 1.4). A watch that the server ends at
 * once is not re-opened in a tight loop: starts are at least minGapMs apart. A failure before the request
 * starts ends the watch with that error rather than rejecting.
 */
export class PacedWatch extends Watch {
  private lastStartMs = 0;
  private closed = false;
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly sleepers = new Set<() => void>();

  constructor(
    config: KubeConfig,
    private readonly pacing: WatchPacing = DEFAULT_WATCH_PACING,
  ) {
    super(config);
  }

  override async watch(
    path: string,
    queryParams: Record<string, string | number | boolean | undefined>,
    callback: (phase: string, apiObj: unknown, watchObj?: unknown) => void,
    done: (err: unknown) => void,
  ): Promise<AbortController> {
    const waitMs = this.lastStartMs + this.pacing.minGapMs - Date.now();
    if (waitMs > 0) await this.sleep(waitMs);
    if (this.closed) return new AbortController();
    this.lastStartMs = Date.now();
    let finished = false;
    const end = (err: unknown): void => {
      if (finished) return;
      finished = true;
      done(err);
    };
    let controller: AbortController;
    try {
      controller = await super.watch(path, { ...queryParams, timeoutSeconds: this.pacing.timeoutSeconds }, callback, end);
    } catch (error) {
      // The library rejects when it fails before its request (credentials, say); its informer re-opens watches in a
      // promise nobody awaits, so report it as the end of this watch instead, and the informer's error path runs.
      end(error);
      return new AbortController();
    }
    if (!finished) {
      const timer = setTimeout(() => {
        this.timers.delete(timer);
        controller.abort(); // ends the request; the library then calls done and the informer re-watches
      }, this.pacing.timeoutSeconds * 1000 + CLIENT_GRACE_MS);
      timer.unref();
      this.timers.add(timer);
      controller.signal.addEventListener("abort", () => {
        clearTimeout(timer);
        this.timers.delete(timer);
      });
    }
    return controller;
  }

  /** close makes later watch() calls no-ops and drops pending timers; call it when the informer stops. */
  close(): void {
    this.closed = true;
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    for (const wake of this.sleepers) wake();
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const wake = (): void => {
        clearTimeout(timer);
        this.sleepers.delete(wake);
        resolve();
      };
      const timer = setTimeout(wake, ms);
      this.sleepers.add(wake);
    });
  }
}
