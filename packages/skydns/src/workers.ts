import cluster, { type Worker } from "node:cluster";
import type { HostPort } from "@kube-dns/flagvalues";
import type { Logger } from "@kube-dns/log";
import { AggregatorRegistry } from "prom-client";
import type { Config } from "./flags.js";
import { serveHttp, type HttpEndpoints } from "./http.js";
import { startSkyDNS, type SkyDNS } from "./skydns.js";

/** The message a worker sends the primary once its index is loaded from etcd. */
const READY_MESSAGE = "kube-dns/skydns: ready";
/** A worker that dies is started again after this delay, doubled for each death within RESTART_MAX_MS of its start. */
const RESTART_MIN_MS = 500;
/** The longest wait before starting a worker again; a worker that lived longer than this resets the delay. */
const RESTART_MAX_MS = 30_000;
/** How long the primary waits for its workers to stop on SIGTERM before killing them. */
const STOP_GRACE_MS = 10_000;

/** Primary is the process that runs the workers: it answers no query itself and serves the one /metrics. */
export interface Primary {
  readonly metricsAddress: HostPort | undefined;
  /** ready is true once every worker has loaded its index. */
  ready(): boolean;
  /** stop sends every worker SIGTERM, waits for them (killing any past the grace), and closes /metrics. */
  stop(): Promise<void>;
}

/**
 * startPrimary forks config.workers copies of this program (node:cluster), each a whole skydns with its own etcd
 * watch and index. They share the UDP and TCP listening sockets, which the primary binds on their behalf: the kernel
 * hands each datagram to whichever worker reads first, and the primary deals out TCP connections in turn. /metrics,
 * /health and /ready are served here alone: /metrics sums the workers' counters and histograms (prom-client's
 * AggregatorRegistry asks each over IPC), and a gauge that is the same in every worker (a revision, a state) is
 * shown once. A worker that dies is started again; stop() ends them all.
 */
export async function startPrimary(config: Config, log: Logger): Promise<Primary> {
  const aggregator = new AggregatorRegistry();
  const readyWorkers = new Set<number>();
  const started = new Map<number, number>();
  let restartMs = RESTART_MIN_MS;
  let stopping = false;
  const fork = (): void => {
    const worker = cluster.fork();
    started.set(worker.id, Date.now());
    worker.on("message", (message: unknown) => {
      if (message === READY_MESSAGE) readyWorkers.add(worker.id);
    });
  };
  cluster.on("exit", (worker: Worker, code: number | null, signal: string | null) => {
    readyWorkers.delete(worker.id);
    const lived = Date.now() - (started.get(worker.id) ?? 0);
    started.delete(worker.id);
    if (stopping) return;
    restartMs = lived > RESTART_MAX_MS ? RESTART_MIN_MS : Math.min(restartMs * 2, RESTART_MAX_MS);
    const delayMs = lived > RESTART_MAX_MS ? 0 : restartMs;
    log.error({ worker: worker.id, code, signal, restartSeconds: delayMs / 1000 }, "worker died; starting another");
    setTimeout(() => {
      if (!stopping) fork();
    }, delayMs).unref();
  });
  for (let i = 0; i < config.workers; i++) fork();
  const ready = (): boolean => readyWorkers.size === config.workers;
  const exposition = { contentType: aggregator.contentType, metrics: () => aggregator.clusterMetrics() };
  let http: HttpEndpoints | undefined;
  try {
    http = config.metricsAddr === undefined ? undefined : await serveHttp(config.metricsAddr, exposition, ready);
  } catch (error) {
    await stopWorkers();
    throw error;
  }
  log.info({ workers: config.workers, metrics: http === undefined ? undefined : `${http.address.host}:${http.address.port}` }, "started workers");
  return {
    metricsAddress: http?.address,
    ready,
    async stop() {
      stopping = true;
      await Promise.all([stopWorkers(), http?.close()]);
    },
  };

  function stopWorkers(): Promise<void> {
    stopping = true;
    const workers = Object.values(cluster.workers ?? {}).filter((worker): worker is Worker => worker !== undefined);
    return Promise.all(workers.map((worker) => new Promise<void>((resolve) => {
      if (worker.isDead()) return resolve();
      const kill = setTimeout(() => worker.process.kill("SIGKILL"), STOP_GRACE_MS);
      worker.once("exit", () => {
        clearTimeout(kill);
        resolve();
      });
      worker.process.kill("SIGTERM");
    }))).then(() => undefined);
  }
}

/**
 * startWorker runs one worker of startPrimary: a whole skydns on the shared ports, without an HTTP server of its own
 * (the primary's /metrics reads this worker's registry over IPC), that tells the primary when its index is loaded.
 */
export async function startWorker(config: Config, log: Logger): Promise<SkyDNS> {
  const server = await startSkyDNS({ ...config, metricsAddr: undefined }, { log });
  // Constructing one installs prom-client's answer to the primary's requests (in a worker, nothing else).
  new AggregatorRegistry();
  AggregatorRegistry.setRegistries([server.registry]);
  server.ready().then(
    () => process.send?.(READY_MESSAGE),
    () => undefined, // stopped before loading: the exit says so
  );
  return server;
}
