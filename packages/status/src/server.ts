import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { Logger } from "@kube-dns/log";
import { type DoctorState, type DoctorVerdict, renderPage } from "./render.js";
import { TimeSeries } from "./series.js";
import { type Snapshot, takeSnapshot, type Targets } from "./snapshot.js";

/** StatusOptions say where to listen, what to watch, and how often. */
export interface StatusOptions {
  readonly host: string;
  /** 0 takes a free port. */
  readonly port: number;
  readonly targets: Targets;
  /** Addresses and paths for the page's header (never secrets: no file is read here). */
  readonly about: readonly (readonly [string, string])[];
  /** One sample of the time series per period; 5 s unless told. */
  readonly samplePeriodMs?: number;
  /** How many samples the series keeps; 180 (15 minutes at 5 s) unless told. */
  readonly samples?: number;
  /** Runs the doctor; without it the page says "doctor not run". */
  readonly doctor?: (() => Promise<DoctorVerdict>) | undefined;
  /** Time between two doctor runs; 60 s unless told. */
  readonly doctorPeriodMs?: number;
  readonly log: Logger;
}

/** StatusServer is the running page. */
export interface StatusServer {
  readonly port: number;
  readonly url: string;
  close(): Promise<void>;
}

/**
 * startStatusServer serves the status page at `/` (HTML, refreshing itself every sample period) and `/healthz`. Each
 * page view probes the pod afresh; a timer samples skydns's traffic into the bounded time series. Nothing here writes
 * anywhere: the page only reads the pod's HTTP endpoints.
 */
export async function startStatusServer(options: StatusOptions): Promise<StatusServer> {
  const periodMs = options.samplePeriodMs ?? 5000;
  const series = new TimeSeries(options.samples ?? 180);
  let doctor: DoctorState = options.doctor === undefined ? { state: "absent" } : { state: "pending" };
  let latest: Promise<Snapshot> | undefined;
  // One snapshot in flight at a time: page views at once share it.
  const snapshot = (): Promise<Snapshot> => {
    latest ??= takeSnapshot(options.targets).finally(() => (latest = undefined));
    return latest;
  };
  const sample = async (): Promise<void> => {
    const taken = await snapshot();
    series.add(taken.at, taken.skydnsSamples);
  };
  const runDoctor = async (): Promise<void> => {
    if (options.doctor === undefined) return;
    try {
      doctor = { state: "done", verdict: await options.doctor() };
    } catch (error) {
      options.log.warn({ err: error }, "the doctor failed");
      doctor = { state: "failed", error: error instanceof Error ? error.message : String(error) };
    }
  };
  const sampler = setInterval(() => void sample(), periodMs);
  const doctorTimer = options.doctor === undefined ? undefined : setInterval(() => void runDoctor(), options.doctorPeriodMs ?? 60_000);
  void sample();
  void runDoctor();
  const server: Server = createServer((request, response) => {
    const path = (request.url ?? "/").split("?")[0];
    if (path === "/healthz") {
      response.writeHead(200, { "content-type": "text/plain" }).end("ok\n");
      return;
    }
    if (path !== "/" || (request.method !== "GET" && request.method !== "HEAD")) {
      response.writeHead(404, { "content-type": "text/plain" }).end("not found\n");
      return;
    }
    snapshot().then(
      (taken) => {
        const html = renderPage({ snapshot: taken, series: series.points(), doctor, about: options.about, refreshSeconds: Math.max(1, Math.round(periodMs / 1000)) });
        response.writeHead(200, { "content-type": "text/html; charset=utf-8", "cache-control": "no-store", "content-security-policy": "default-src 'none'; style-src 'unsafe-inline'" }).end(html);
      },
      (error: unknown) => response.writeHead(500, { "content-type": "text/plain" }).end(`status unavailable: ${String(error)}\n`),
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port, options.host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  return {
    port,
    url: `http://${options.host.includes(":") ? `[${options.host}]` : options.host}:${port}/`,
    close: () => {
      clearInterval(sampler);
      if (doctorTimer !== undefined) clearInterval(doctorTimer);
      return new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      });
    },
  };
}
