import { type DevApiServer, startDevApiServer } from "@kube-dns/dev-apiserver";
import { type EtcdServer, startEtcd } from "@kube-dns/etcd-process";
import { createLogger } from "@kube-dns/log";
import { Etcd3 } from "etcd3";
import { type Kube2sky, type Kube2skyOptions, startKube2sky } from "../src/start.js";
import { type LogSink, logSink } from "./logsink.js";

/** Cluster is the Kubernetes side (an etcd with a dev-apiserver over it) plus kube2sky's own etcd, as in the pod. */
export interface Cluster {
  readonly apiEtcd: EtcdServer;
  /** The pod's etcd: kube2sky writes here. */
  readonly dnsEtcd: EtcdServer;
  api: DevApiServer;
  /** request sends one API request and returns the status and the decoded JSON body. */
  request(method: string, path: string, body?: unknown, contentType?: string): Promise<{ code: number; body: ApiObject }>;
  /** startApi starts an API server on the API etcd: on the given port, or a free one. */
  startApi(port?: number): Promise<DevApiServer>;
  stop(): Promise<void>;
}

/** ApiObject is a decoded API response. */
export interface ApiObject {
  kind?: string;
  metadata?: { name?: string; resourceVersion?: string };
  spec?: { clusterIP?: string; ports?: Array<{ name?: string; port: number }> };
  status?: { podIP?: string };
  [field: string]: unknown;
}

/** startCluster starts both etcds and the API server (with cluster IPs from serviceRange, 10.0.0.0/24 by default). */
export async function startCluster(serviceRange?: string): Promise<Cluster> {
  const [apiEtcd, dnsEtcd] = await Promise.all([startEtcd(), startEtcd()]);
  const startApi = (port?: number) =>
    startDevApiServer({ etcdUrl: apiEtcd.clientUrl, logLevel: "silent", ...(serviceRange === undefined ? {} : { serviceRange }), ...(port === undefined ? {} : { port }) });
  const cluster: Cluster = {
    apiEtcd,
    dnsEtcd,
    api: await startApi(),
    startApi,
    async request(method, path, body, contentType = "application/json") {
      const init: RequestInit = { method, headers: { "content-type": contentType } };
      if (body !== undefined) init.body = JSON.stringify(body);
      const response = await fetch(cluster.api.url + path, init);
      return { code: response.status, body: (await response.json()) as ApiObject };
    },
    async stop() {
      await cluster.api.stop();
      await Promise.all([apiEtcd.stop(), dnsEtcd.stop()]);
    },
  };
  return cluster;
}

/**
 * waitForEtcd watches prefix in etcd and resolves with its contents once predicate holds; it checks on every
 * change, not on a timer, and gives up after timeoutMs with the last contents in the error.
 */
export async function waitForEtcd(
  endpoint: string,
  prefix: string,
  predicate: (kv: Record<string, string>) => boolean,
  timeoutMs = 20_000,
): Promise<Record<string, string>> {
  const client = new Etcd3({ hosts: endpoint });
  const watcher = await client.watch().prefix(prefix).create();
  let last: Record<string, string> = {};
  try {
    return await new Promise<Record<string, string>>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`${prefix} never matched; last:\n${JSON.stringify(last, null, 1)}`)), timeoutMs);
      const check = (): void => {
        client
          .getAll()
          .prefix(prefix)
          .strings()
          .then((kv) => {
            last = kv;
            if (!predicate(kv)) return;
            clearTimeout(timer);
            resolve(kv);
          }, reject);
      };
      watcher.on("put", check);
      watcher.on("delete", check);
      watcher.on("connected", check);
      check();
    });
  } finally {
    await watcher.cancel();
    client.close();
  }
}

/** service builds a v1 Service body. */
export function service(name: string, spec: Record<string, unknown>): Record<string, unknown> {
  return { apiVersion: "v1", kind: "Service", metadata: { name, namespace: "default" }, spec };
}

/** endpointSlice builds a discovery.k8s.io/v1 EndpointSlice for a service. */
export function endpointSlice(name: string, serviceName: string, endpoints: unknown[], ports: unknown[], addressType = "IPv4"): Record<string, unknown> {
  return {
    apiVersion: "discovery.k8s.io/v1",
    kind: "EndpointSlice",
    metadata: { name, namespace: "default", labels: { "kubernetes.io/service-name": serviceName } },
    addressType,
    endpoints,
    ports,
  };
}

/** startKube2skyOn starts kube2sky against cluster (its kubeconfig, the pod's etcd), /readiness on a free loopback port, info logs to a sink. */
export async function startKube2skyOn(cluster: Cluster, options: Kube2skyOptions = {}): Promise<{ kube2sky: Kube2sky; logs: LogSink }> {
  const logs = logSink();
  const kube2sky = await startKube2sky({
    kubecfgFile: cluster.api.kubeconfigPath,
    etcdServer: cluster.dnsEtcd.clientUrl,
    etcdMutationTimeoutMs: 2000,
    healthzPort: 0,
    healthzHost: "127.0.0.1",
    logger: createLogger("kube2sky", "info", logs.stream),
    ...options,
  });
  return { kube2sky, logs };
}
