import { startEtcd, type EtcdServer } from "@kube-dns/etcd-process";
import { afterAll, beforeAll } from "vitest";
import { startDevApiServer, type DevApiServer, type DevApiServerOptions } from "../src/index.js";

/** Harness is a real etcd with a dev-apiserver over it, and a raw HTTP helper. */
export interface Harness {
  readonly etcd: EtcdServer;
  server: DevApiServer;
  /** request sends one API request and returns the status code and the decoded JSON body. */
  request(method: string, path: string, body?: unknown, contentType?: string): Promise<{ code: number; body: ApiBody }>;
  /** restart stops the API server and starts a new one on the same etcd and port. */
  restart(): Promise<void>;
  stop(): Promise<void>;
}

/** ApiBody is a decoded response: an object, a list or a Status. */
export interface ApiBody {
  kind?: string;
  code?: number;
  reason?: string;
  message?: string;
  metadata?: { name?: string; resourceVersion?: string; continue?: string; labels?: Record<string, string>; uid?: string; generation?: number };
  items?: ApiBody[];
  spec?: Record<string, unknown>;
  status?: Record<string, unknown>;
  [field: string]: unknown;
}

/** startHarness starts etcd and the API server (same options across restarts). */
export async function startHarness(options: Omit<DevApiServerOptions, "etcdUrl"> = {}): Promise<Harness> {
  const etcd = await startEtcd();
  const start = (port?: number): Promise<DevApiServer> => startDevApiServer({ etcdUrl: etcd.clientUrl, logLevel: "silent", ...options, ...(port ? { port } : {}) });
  let server: DevApiServer;
  try {
    server = await start();
  } catch (error) {
    await etcd.stop();
    throw error;
  }
  const harness: Harness = {
    etcd,
    server,
    async request(method, path, body, contentType = "application/json") {
      const headers: Record<string, string> = { "content-type": contentType };
      if (options.token !== undefined) headers["authorization"] = `Bearer ${options.token}`;
      const init: RequestInit = { method, headers };
      if (body !== undefined) init.body = typeof body === "string" ? body : JSON.stringify(body);
      const response = await fetch(harness.server.url + path, init);
      return { code: response.status, body: (await response.json()) as ApiBody };
    },
    async restart() {
      // The same port, so clients holding the old kubeconfig reconnect to the new server.
      const port = Number(new URL(harness.server.url).port);
      await harness.server.stop();
      harness.server = await start(port);
    },
    async stop() {
      await harness.server.stop();
      await etcd.stop();
    },
  };
  return harness;
}

/** useHarness starts a harness before the suite's tests and stops it after them; call the result to reach it. */
export function useHarness(options: Omit<DevApiServerOptions, "etcdUrl"> = {}): () => Harness {
  let harness: Harness | undefined;
  beforeAll(async () => {
    harness = await startHarness(options);
  });
  afterAll(async () => {
    await harness?.stop();
  });
  return () => {
    if (harness === undefined) throw new Error("the harness is not started yet (use it inside a test)");
    return harness;
  };
}

/** service builds a ClusterIP service manifest. */
export function service(name: string, extra: { selector?: Record<string, string>; labels?: Record<string, string>; clusterIP?: string } = {}): Record<string, unknown> {
  const spec: Record<string, unknown> = { ports: [{ name: "http", port: 80, targetPort: "http" }] };
  if (extra.selector) spec["selector"] = extra.selector;
  if (extra.clusterIP) spec["clusterIP"] = extra.clusterIP;
  return { apiVersion: "v1", kind: "Service", metadata: { name, labels: extra.labels }, spec };
}

/** pod builds a pod manifest with one container exposing port 80 as "http". */
export function pod(name: string, labels: Record<string, string>, extra: { hostname?: string; subdomain?: string } = {}): Record<string, unknown> {
  return {
    apiVersion: "v1",
    kind: "Pod",
    metadata: { name, labels },
    spec: { ...extra, containers: [{ name: "web", image: "nginx:1.27", ports: [{ name: "http", containerPort: 8080 }] }] },
  };
}
