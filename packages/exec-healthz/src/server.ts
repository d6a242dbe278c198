import { createServer, type Server, type ServerResponse } from "node:http";
import type { Health } from "./status.js";

const INDEX = `<!doctype html>
<html><head><title>exec-healthz</title></head><body>
<h1>exec-healthz</h1>
<ul><li><a href="/healthz">/healthz</a>: the last run of the health command</li>
<li><a href="/metrics">/metrics</a>: Prometheus metrics</li></ul>
</body></html>
`;

/** Exposition is the metrics page: its content type and a function that renders it. */
export interface Exposition {
  readonly contentType: string;
  render(): string;
}

/**
 * createHealthzServer serves /healthz (any method, as v1.2 did) from health(), /metrics from metrics and an index
 * at / (GET and HEAD), and 404 for anything else. Handlers only read the latest result: the command runs
 * elsewhere, so a request never waits on it. Plain node:http: a web framework would double the container's memory.
 */
export function createHealthzServer(health: () => Health, metrics: Exposition): Server {
  return createServer((request, response) => {
    const path = (request.url ?? "/").split("?")[0];
    const readOnly = request.method === "GET" || request.method === "HEAD";
    if (path === "/healthz") {
      const { statusCode, body } = health();
      send(response, statusCode, "text/plain; charset=utf-8", body, { "Cache-Control": "no-store" });
    } else if (path === "/metrics" && readOnly) {
      send(response, 200, metrics.contentType, metrics.render());
    } else if (path === "/" && readOnly) {
      send(response, 200, "text/html; charset=utf-8", INDEX);
    } else {
      send(response, 404, "text/plain; charset=utf-8", "404 page not found\n");
    }
  });
}

function send(response: ServerResponse, statusCode: number, contentType: string, body: string, headers: Record<string, string> = {}): void {
  response.writeHead(statusCode, { "Content-Type": contentType, "Content-Length": Buffer.byteLength(body), ...headers });
  // HEAD gets the headers of a GET and no body; node drops the body for HEAD itself.
  response.end(body);
}
