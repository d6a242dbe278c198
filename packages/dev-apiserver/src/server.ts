import { mkdtempSync, rmSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { connectEtcd, endpointsOf } from "@kube-dns/etcd-feed";
import { Registry as PromRegistry } from "prom-client";
import { AddressAllocator } from "./addresses/address-allocator.js";
import { bootstrap } from "./registry/bootstrap.js";
import { parseCidr, staticBandSize } from "./addresses/cidr.js";
import { startEndpointsController } from "./controllers/endpoints-controller.js";
import { startReplicaController } from "./controllers/replica-controller.js";
import { createHandler } from "./http/handler.js";
import { writeKubeconfig } from "./http/kubeconfig.js";
import { createLogger, type LogLevel } from "@kube-dns/log";
import { createMetrics } from "./metrics.js";
import { POD_IP_CLAIMS } from "./registry/strategies/pod-strategy.js";
import { Registry } from "./registry/registry.js";
import { SERVICE_IP_CLAIMS } from "./registry/strategies/service-strategy.js";
import { Storage } from "./storage/storage.js";
import type { StrategyContext } from "./registry/strategies/strategy.js";

/** DevApiServerOptions configure one server; only etcdUrl is required. */
export interface DevApiServerOptions {
  /** etcd client URL(s), comma-separated: `http://127.0.0.1:2379`. */
  etcdUrl: string;
  /** Listen address; loopback (127.0.0.1) by default. */
  host?: string;
  /** Listen port; 0 (the default) takes a free one. */
  port?: number;
  /** Cluster IP range; 10.0.0.0/16 by default, its first address goes to the `kubernetes` service. */
  serviceRange?: string;
  /** Pod IP range; 10.244.0.0/16 by default. */
  podRange?: string;
  /** Where to write the kubeconfig; a temporary file (removed on stop) by default. */
  kubeconfigPath?: string;
  /** Bearer token required of every API request; none by default. */
  token?: string;
  /** pino level: silent, error, warn (default), info, debug. */
  logLevel?: LogLevel;
  /** How often watches with allowWatchBookmarks get a BOOKMARK; 60 s by default. */
  bookmarkIntervalMs?: number;
}

/** DevApiServer is a running server. */
export interface DevApiServer {
  /** Base URL: `http://127.0.0.1:PORT`. */
  url: string;
  kubeconfigPath: string;
  /** Closes the listener, every open watch, the controllers and the etcd client. */
  stop(): Promise<void>;
}

function isLoopback(host: string): boolean {
  return host === "localhost" || host === "::1" || host.startsWith("127.");
}

function listen(server: Server, host: string, port: number): Promise<AddressInfo> {
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
      server.off("error", reject);
      resolve(server.address() as AddressInfo);
    });
  });
}

/** startDevApiServer connects to etcd, creates the system objects, starts the endpoints and replica controllers and serves HTTP. */
export async function startDevApiServer(options: DevApiServerOptions): Promise<DevApiServer> {
  const serviceRange = parseCidr(options.serviceRange ?? "10.0.0.0/16");
  const podRange = parseCidr(options.podRange ?? "10.244.0.0/16");
  const host = options.host ?? "127.0.0.1";
  const log = createLogger("dev-apiserver", options.logLevel ?? "warn");
  const promRegistry = new PromRegistry();
  const metrics = createMetrics(promRegistry);
  const client = connectEtcd({ endpoints: endpointsOf(options.etcdUrl) });
  const storage = new Storage(client);
  const allocators = {
    service: new AddressAllocator({ client, log, claimPrefix: SERVICE_IP_CLAIMS, range: serviceRange, reservedLow: staticBandSize(serviceRange), onHoldDropped: () => metrics.addressHoldsDropped.inc({ range: "service" }) }),
    pod: new AddressAllocator({ client, log, claimPrefix: POD_IP_CLAIMS, range: podRange, onHoldDropped: () => metrics.addressHoldsDropped.inc({ range: "pod" }) }),
  };
  const context: StrategyContext = { serviceRange, podRange, serviceIPs: allocators.service, podIPs: allocators.pod };
  const registry = new Registry(storage, context);
  const openWatches = new Set<() => Promise<void>>();
  let address = "";
  const server = createServer(
    createHandler({
      client,
      storage,
      registry,
      log,
      metrics,
      promRegistry,
      token: options.token,
      bookmarkIntervalMs: options.bookmarkIntervalMs ?? 60_000,
      serverAddress: () => address,
      track(resource, end) {
        openWatches.add(end);
        metrics.openWatches.inc({ resource });
        return () => {
          openWatches.delete(end);
          metrics.openWatches.dec({ resource });
        };
      },
    }),
  );
  const controllers: { stop(): Promise<void> }[] = [];
  let temporaryDir: string | undefined;
  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> => (stopping ??= shutdown());
  const shutdown = async (): Promise<void> => {
    await Promise.all(controllers.map((c) => c.stop()));
    allocators.service.stop();
    allocators.pod.stop();
    // Watches end cleanly first, so clients see the stream end rather than a reset connection.
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    await Promise.all([...openWatches].map((end) => end()));
    server.closeAllConnections();
    await closed;
    client.close();
    if (temporaryDir !== undefined) rmSync(temporaryDir, { recursive: true, force: true });
  };
  try {
    await Promise.all([allocators.service.start(), allocators.pod.start()]);
    await bootstrap(registry, serviceRange);
    controllers.push(await startEndpointsController({ client, storage, registry, log, metrics }));
    controllers.push(await startReplicaController({ client, storage, registry, log, metrics }));
    const bound = await listen(server, host, options.port ?? 0);
    address = `${host.includes(":") ? `[${host}]` : host}:${bound.port}`;
    const url = `http://${address}`;
    if (options.kubeconfigPath === undefined) temporaryDir = mkdtempSync(join(tmpdir(), "dev-apiserver-"));
    const kubeconfigPath = options.kubeconfigPath ?? join(temporaryDir as string, "kubeconfig");
    writeKubeconfig(kubeconfigPath, url, options.token);
    log.info({ url, kubeconfigPath, etcd: options.etcdUrl }, "serving");
    if (!isLoopback(host) && options.token === undefined) log.warn({ host }, "serving beyond loopback with no --token: anyone who can reach it can change the cluster");
    return { url, kubeconfigPath, stop };
  } catch (error) {
    await stop().catch(() => undefined);
    throw error;
  }
}
