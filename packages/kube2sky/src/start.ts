import { hostname } from "node:os";
import { DEFAULT_PREFIX, normalizeName } from "@kube-dns/msg";
import { Registry } from "prom-client";
import { ConfigMirror } from "./config-mirror.js";
import { startConfigWatch } from "./config-watch.js";
import { etcdClient, recordStore } from "./etcd.js";
import { type Config, defaultConfig } from "./flags.js";
import { type HealthServer, startHealthServer } from "./health.js";
import { kubeConfigFor } from "./kube.js";
import { Leadership, type Role } from "./leadership.js";
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
  /** Who this instance is in the election; the host name and pid when omitted. */
  readonly identity?: string;
}

/** Kube2sky is a running instance. */
export interface Kube2sky {
  /**
   * Resolves once every kind is listed and, on the leader, the first full sync is committed to etcd (a standby is
   * ready with its caches warm).
   */
  readonly ready: Promise<void>;
  /** Where this instance stands in the election now. */
  role(): Role;
  /** The port /readiness, /healthz and /metrics listen on (useful with healthzPort 0). */
  readonly healthzPort: number;
  readonly registry: Registry;
  /** Stops watching, finishes the write in progress, closes the HTTP server and the etcd client. */
  stop(): Promise<void>;
}

/**
 * startKube2sky builds and starts every part: etcd client, reconciler, election, HTTP endpoints, informers, resync
 * timer. Every replica lists and watches; only the elected one writes, each transaction under its term's fence.
 */
export async function startKube2sky(options: Kube2skyOptions = {}): Promise<Kube2sky> {
  const config: Config = { ...defaultConfig(), ...definedOnly(options) };
  const log = options.logger ?? createLogger("kube2sky", config.logLevel);
  const registry = options.registry ?? new Registry();
  const metrics = createMetrics(registry);
  const kubeConfig = kubeConfigFor({ masterUrl: config.kubeMasterUrl, kubeconfigFile: config.kubecfgFile });
  const client = etcdClient({ server: config.etcdServer, mutationTimeoutMs: config.etcdMutationTimeoutMs, caFile: config.etcdCaFile, certFile: config.etcdCertFile, keyFile: config.etcdKeyFile });
  const etcd = recordStore(client, config.etcdMutationTimeoutMs);
  const store = new Store();
  const zone = normalizeName(config.domain);
  // Not before every kind is listed: a full sync then would delete what the caches do not hold yet.
  let listed = false;
  const reconciler = new Reconciler({ store, etcd, zone, prefix: DEFAULT_PREFIX, metrics, log, maxTxnOps: config.etcdMaxTxnOps, onFenced: () => leadership.deposed() });
  const mirror = config.configMap === "" ? undefined : new ConfigMirror({ client, timeoutMs: config.etcdMutationTimeoutMs, metrics, log, onFenced: () => leadership.deposed() });
  const leadership = new Leadership({
    client,
    ttlSeconds: config.leaderElectTtlMs / 1000,
    identity: options.identity ?? `${hostname()}-${process.pid}`,
    log,
    onElected: (fence) => {
      metrics.electionsTotal.inc();
      metrics.leader.set(1);
      reconciler.lead(fence);
      mirror?.lead(fence);
      if (listed) reconciler.requestFullSync();
    },
    onDeposed: () => {
      metrics.leader.set(0);
      reconciler.follow();
      mirror?.follow();
    },
    onRole: () => checkReady(),
  });
  let ready = false;
  let markReady: () => void = () => {};
  const readyPromise = new Promise<void>((resolve) => (markReady = resolve));
  let synced = false;
  // Ready for good once listed and either synced as the leader or standing by: it never turns not-ready again.
  const checkReady = (): void => {
    if (ready || !listed || !(synced || leadership.role === "standby")) return;
    ready = true;
    markReady();
    log.info({ role: leadership.role }, synced ? "first sync done; ready" : "caches listed, standing by; ready");
  };
  void reconciler.ready.then(() => {
    synced = true;
    checkReady();
  });
  reconciler.start();
  mirror?.start();
  let health: HealthServer;
  try {
    health = await startHealthServer({ port: config.healthzPort, host: options.healthzHost, registry, isReady: () => ready, role: () => leadership.role });
  } catch (error) {
    // A taken port is a start-up failure: undo what already runs so the caller is left with nothing open.
    await reconciler.stop();
    await mirror?.stop();
    client.close();
    throw error;
  }
  leadership.start();
  log.info({ port: health.port }, "serving /readiness, /healthz and /metrics");
  const watches = startWatches({
    kubeConfig,
    store,
    endpointsApi: config.endpointsApi,
    pods: config.pods,
    metrics,
    log,
    onChange: (units, change) => reconciler.markDirty(units, change),
    onListed: () => reconciler.requestFullSync(),
    watchPacing: options.watchPacing,
  });
  // Not part of readiness: the records do not depend on it, and a refused or unreadable ConfigMap keeps what etcd has.
  const configWatch =
    mirror === undefined
      ? undefined
      : startConfigWatch({ kubeConfig, configMap: config.configMap, zone, metrics, log, onConfig: (dns) => mirror.set(dns), watchPacing: options.watchPacing });
  void watches.listed.then(() => {
    listed = true;
    checkReady();
  });
  const resync = setInterval(() => {
    if (listed) reconciler.requestFullSync();
    mirror?.recheck();
  }, config.resyncPeriodMs);
  let stopping: Promise<void> | undefined;
  return {
    ready: readyPromise,
    role: () => leadership.role,
    healthzPort: health.port,
    registry,
    stop() {
      stopping ??= (async () => {
        clearInterval(resync);
        await Promise.all([watches.stop(), configWatch?.stop()]);
        await Promise.all([reconciler.stop(), mirror?.stop()]);
        // After the last write: a standby is elected at once instead of after the lease's TTL.
        await leadership.stop();
        await health.close();
        client.close();
      })();
      return stopping;
    },
  };
}

function definedOnly(options: Kube2skyOptions): Partial<Config> {
  const { logger: _logger, registry: _registry, healthzHost: _host, watchPacing: _pacing, identity: _identity, ...rest } = options;
  return Object.fromEntries(Object.entries(rest).filter(([, v]) => v !== undefined)) as Partial<Config>;
}
