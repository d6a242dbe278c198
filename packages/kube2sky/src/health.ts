import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import express from "express";
import type { Registry } from "prom-client";

/** HealthOptions configures the HTTP endpoints. */
export interface HealthOptions {
  /** 0 picks a free port. */
  readonly port: number;
  readonly host?: string | undefined;
  readonly registry: Registry;
  /** True once every kind is listed and, on the leader, the first full sync is in etcd. */
  readonly isReady: () => boolean;
  /** Where this instance stands in the election: `leader`, `standby` or `candidate`. */
  readonly role: () => string;
}

/** HealthServer is the running HTTP server. */
export interface HealthServer {
  readonly port: number;
  close(): Promise<void>;
}

/**
 * startHealthServer serves /readiness (200 "ok: ROLE" once ready, 503 before; ROLE says who leads), /healthz (200
 * while the process runs) and /metrics (Prometheus text).
 */
export async function startHealthServer(options: HealthOptions): Promise<HealthServer> {
  const app = express();
  // Say nothing about what serves these endpoints to whoever can reach the port.
  app.disable("x-powered-by");
  app.get("/readiness", (_req, res) => {
    if (options.isReady()) res.type("text/plain").send(`ok: ${options.role()}\n`);
    else res.status(503).type("text/plain").send(`not ready: ${options.role()}, first sync not done\n`);
  });
  app.get("/healthz", (_req, res) => {
    res.type("text/plain").send("ok\n");
  });
  app.get("/metrics", (_req, res, next) => {
    options.registry.metrics().then((text) => res.type(options.registry.contentType).send(text), next);
  });
  // Express's own error page carries the stack trace outside NODE_ENV=production; a failed scrape needs no more than this.
  app.use((_error: unknown, _req: express.Request, res: express.Response, _next: express.NextFunction) => {
    res.status(500).type("text/plain").send("metrics unavailable\n");
  });
  const server = await new Promise<Server>((resolve, reject) => {
    const listening = app.listen(options.port, options.host ?? "0.0.0.0", (error?: Error) => (error ? reject(error) : resolve(listening)));
  });
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
