import { DEFAULT_PREFIX, normalizeName } from "@kube-dns/msg";
import { Registry } from "prom-client";
import { connectEtcd } from "./etcd.js";
import { type Config, defaultConfig } from "./flags.js";
import { type HealthServer, startHealthServer } from "./health.js";
import { kubeConfigFor } from "./kube.js";
import { createLogger, type Logger } from "@kube-dns/log";
import { createMetrics } from "./metrics.js";
import { Reconciler } from "./reconcile.js";
import type { WatchPacing } from "./paced-watch.js";
import { Store } from "./store.js";
import { startWatches } from "./watch.js";

/** Kube2skyOptions is a Config with any field left out taking its flag default, plus in-process extras. */
export interface Kube2skyOptions extends Partial<Config> {
  /** The logger to use; one at --log-level on stderr when omitted. */
  readonly logger?: Logger;
  /** The metrics registry; a fresh one when omitted. */
  readonly registry?: Registry;
  /** Where /readiness listens; all interfaces when omitted, as the container does. */
  readonly healthzHost?: string;
  /** Watch request lifetime and restart pacing (tests shorten it); DEFAULT_WATCH_PACING when omitted. */
  readonly watchPacing?: WatchPacing;
}

/** Kube2sky is a running instance. */
export interface Kube2sky {
  /** Resolves once every kind is listed and the first full sync is committed to etcd. */
  readonly ready: Promise<void>;
  /** The port /readiness, /healthz and /metrics listen on (useful with healthzPort 0). */
  readonly healthzPort: number;
  readonly registry: Registry;
  /** Stops watching, finishes the write in progress, closes the HTTP server and the etcd client. */
  stop(): Promise<void>;
}

/** startKube2sky builds and starts every part: etcd client, reconciler, HTTP endpoints, informers, resync timer. */
export async function startKube2sky(options: Kube2skyOptions = {}): Promise<Kube2sky> {
  const config: Config = { ...defaultConfig(), ...definedOnly(options) };
  const log = options.logger ?? createLogger("kube2sky", config.logLevel);
  const registry = options.registry ?? new Registry();
  const metrics = createMetrics(registry);
  const kubeConfig = kubeConfigFor({ masterUrl: config.kubeMasterUrl, kubeconfigFile: config.kubecfgFile });
  const etcd = connectEtcd({
    server: config.etcdServer,
    mutationTimeoutMs: config.etcdMutationTimeoutMs,
    caFile: config.etcdCaFile,
    certFile: config.etcdCertFile,
    keyFile: config.etcdKeyFile,
  });
  const store = new Store();
  const zone = normalizeName(config.domain);
  const reconciler = new Reconciler({ store, etcd, zone, prefix: DEFAULT_PREFIX, metrics, log });
  let ready = false;
  const readyPromise = reconciler.ready.then(() => {
    ready = true;
    log.info("first sync done; ready");
  });
  reconciler.start();
  let health: HealthServer;
  try {
    health = await startHealthServer({ port: config.healthzPort, host: options.healthzHost, registry, isReady: () => ready });
  } catch (error) {
    // A taken port is a start-up failure: undo what already runs so the caller is left with nothing open.
    await reconciler.stop();
    etcd.close();
    throw error;
  }
  log.info({ port: health.port }, "serving /readiness, /healthz and /metrics");
  const watches = startWatches({
    kubeConfig,
    store,
    endpointsApi: config.endpointsApi,
    pods: config.pods,
    metrics,
    log,
    onChange: (units) => reconciler.markDirty(units),
    onListed: () => reconciler.requestFullSync(),
    watchPacing: options.watchPacing,
  });
  // Not before every kind is listed: a full sync then would mark kube2sky ready with half a cache.
  let listed = false;
  void watches.listed.then(() => (listed = true));
  const resync = setInterval(() => {
    if (listed) reconciler.requestFullSync();
  }, config.resyncPeriodMs);
  let stopping: Promise<void> | undefined;
  return {
    ready: readyPromise,
    healthzPort: health.port,
    registry,
    stop() {
      stopping ??= (async () => {
        clearInterval(resync);
        await watches.stop();
        await reconciler.stop();
        await health.close();
        etcd.close();
      })();
      return stopping;
    },
  };
}

function definedOnly(options: Kube2skyOptions): Partial<Config> {
  const { logger: _logger, registry: _registry, healthzHost: _host, watchPacing: _pacing, ...rest } = options;
  return Object.fromEntries(Object.entries(rest).filter(([, v]) => v !== undefined)) as Partial<Config>;
}
