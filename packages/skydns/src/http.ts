import { createServer, type Server } from "node:http";
import type { HostPort } from "@kube-dns/flagvalues";
import type { RecentChange } from "./programming.js";

/** HttpEndpoints is the bound metrics and health server. */
export interface HttpEndpoints {
  readonly address: HostPort;
  close(): Promise<void>;
}

/** Exposition is what /metrics prints: a registry, or the primary's sum of its workers' registries. */
export interface Exposition {
  readonly contentType: string;
  metrics(): Promise<string>;
}

/**
 * serveHttp serves `/metrics` (Prometheus text), `/health` (200 while the process runs), `/ready`
 * (200 once the records have been loaded from etcd, 503 before) and `/changes` (JSON: the latest changes of kube2sky
 * with their programming times, newest first) on addr.
 */
export function serveHttp(addr: HostPort, registry: Exposition, ready: () => boolean, changes: () => readonly RecentChange[] = () => []): Promise<HttpEndpoints> {
  const server: Server = createServer((request, response) => {
    const path = (request.url ?? "/").split("?")[0];
    if (path === "/metrics") {
      registry.metrics().then(
        (text) => response.writeHead(200, { "content-type": registry.contentType }).end(text),
        (error: unknown) => response.writeHead(500).end(String(error)),
      );
    } else if (path === "/changes") {
      response.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ changes: changes() }));
    } else if (path === "/health") {
      response.writeHead(200, { "content-type": "text/plain" }).end("ok\n");
    } else if (path === "/ready") {
      const isReady = ready();
      response.writeHead(isReady ? 200 : 503, { "content-type": "text/plain" }).end(isReady ? "ok\n" : "records not loaded from etcd yet\n");
    } else {
      response.writeHead(404, { "content-type": "text/plain" }).end("not found\n");
    }
  });
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(addr.port, addr.host, () => {
      server.off("error", reject);
      const bound = server.address();
      const port = bound !== null && typeof bound === "object" ? bound.port : addr.port;
      resolve({
        address: { host: addr.host, port },
        close: () => new Promise<void>((done) => {
          server.closeAllConnections();
          server.close(() => done());
        }),
      });
    });
  });
}
