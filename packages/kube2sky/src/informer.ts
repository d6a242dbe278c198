import { type KubeConfig, type KubernetesListObject, type KubernetesObject, ListWatch } from "@kubernetes/client-node";
import { Backoff } from "./backoff.js";
import type { Logger } from "@kube-dns/log";
import type { Metrics } from "./metrics.js";
import { PacedWatch, type WatchPacing } from "./paced-watch.js";
import type { UnitId } from "./store.js";

/** Kind says how to list one kind of object and what its changes do to the store. */
export interface Kind<T extends KubernetesObject> {
  readonly kind: string;
  readonly path: string;
  readonly list: () => Promise<KubernetesListObject<T>>;
  readonly upsert: (obj: T) => UnitId[];
  readonly remove: (obj: T) => UnitId[];
}

/** InformerOptions are what one informer needs from its owner. */
export interface InformerOptions {
  readonly kubeConfig: KubeConfig;
  readonly metrics: Metrics;
  readonly log: Logger;
  readonly onChange: (units: UnitId[]) => void;
  readonly watchPacing?: WatchPacing | undefined;
}

/**
 * runInformer runs one client-node informer (list, then watch). The informer relists by itself after 410 Gone;
 * after any other failure it is restarted here with backoff. It calls onListed(kind) after each list, and
 * onListed(undefined) after a restart that resumed the watch without listing.
 */
export function runInformer(spec: Kind<KubernetesObject>, options: InformerOptions, onListed: (kind: string | undefined) => void): { stop(): Promise<void> } {
  const { metrics, log } = options;
  const backoff = new Backoff(200, 5_000);
  // The informer applies a list synchronously right after our list promise settles; setImmediate runs after that.
  const list = async (): Promise<KubernetesListObject<KubernetesObject>> => {
    const result = await spec.list();
    setImmediate(() => onListed(spec.kind));
    return result;
  };
  // makeInformer's ListWatch, over a watch that times out and paces its restarts.
  const watch = new PacedWatch(options.kubeConfig, options.watchPacing);
  const informer = new ListWatch(spec.path, watch, list, false);
  const handle = (type: string, change: (obj: KubernetesObject) => UnitId[]) => (obj: KubernetesObject) => {
    metrics.eventsTotal.inc({ kind: spec.kind, type });
    options.onChange(change(obj));
  };
  informer.on("add", handle("add", spec.upsert));
  informer.on("update", handle("update", spec.upsert));
  informer.on("delete", handle("delete", spec.remove));
  let stopped = false;
  let errors = 0;
  let failing = false;
  let timer: NodeJS.Timeout | undefined;
  const restart = (): void => {
    start().catch(onError); // the library can also reject (an auth plugin failing, say): the same as an error
  };
  const start = async (): Promise<void> => {
    const before = errors;
    await informer.start();
    if (errors !== before) return;
    if (failing) log.warn({ kind: spec.kind }, "list/watch recovered");
    failing = false;
    backoff.reset();
    // A restart after a failure may resume the watch without listing; reconcile all the same.
    if (before > 0) onListed(undefined);
  };
  const onError = (error: unknown): void => {
    errors++;
    metrics.watchErrorsTotal.inc({ kind: spec.kind });
    if (stopped) return;
    const delayMs = backoff.next();
    // The first failure of a streak is a warning, its retries debug lines.
    log[failing ? "debug" : "warn"]({ kind: spec.kind, err: error, retryInSeconds: delayMs / 1000 }, "list/watch failed; restarting");
    failing = true;
    clearTimeout(timer);
    timer = setTimeout(restart, delayMs);
  };
  informer.on("error", onError);
  restart();
  return {
    async stop() {
      stopped = true;
      clearTimeout(timer);
      watch.close();
      await informer.stop();
    },
  };
}
