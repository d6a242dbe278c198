import express, { type Express } from "express";
import type { Registry } from "prom-client";
import type { Health } from "./status.js";

const INDEX = `<!doctype html>
<html><head><title>exec-healthz</title></head><body>
<h1>exec-healthz</h1>
<ul><li><a href="/healthz">/healthz</a>: the last run of the health command</li>
<li><a href="/metrics">/metrics</a>: Prometheus metrics</li></ul>
</body></html>
`;

/**
 * createApp serves /healthz (any method, as v1.2 did) from health(), /metrics from registry and an index at /.
 * Handlers only read the latest result: the command runs elsewhere, so a request never waits on it.
 */
export function createApp(health: () => Health, registry: Registry): Express {
  const app = express();
  app.disable("x-powered-by");
  app.all("/healthz", (_request, response) => {
    const { statusCode, body } = health();
    response.status(statusCode).type("text/plain; charset=utf-8").set("Cache-Control", "no-store").send(body);
  });
  app.get("/metrics", async (_request, response) => {
    response.type(registry.contentType).send(await registry.metrics());
  });
  app.get("/", (_request, response) => {
    response.type("html").send(INDEX);
  });
  return app;
}
