import { existsSync } from "node:fs";
import { type CoreV1Api, KubeConfig, Observable, type ObservableMiddleware } from "@kubernetes/client-node";

/** SERVICE_ACCOUNT_DIR is where a pod finds its service account's token, CA and namespace. */
export const SERVICE_ACCOUNT_DIR = "/var/run/secrets/kubernetes.io/serviceaccount";

/** KubeConnection says how to reach the API server, as v1.2's flags did. */
export interface KubeConnection {
  /** --kube-master-url: a plain URL; used alone it means no credentials. */
  readonly masterUrl?: string | undefined;
  /** --kubecfg-file: a kubeconfig; the master URL, when given too, overrides its server. */
  readonly kubeconfigFile?: string | undefined;
}

/**
 * kubeConfigFor builds the client configuration: the master URL alone, a kubeconfig file (its server replaced
 * by the master URL when both are given), or the in-cluster service account when neither is given
 * (as v1.2 did). env is where KUBERNETES_SERVICE_HOST and _PORT are read (the process's own by default).
 */
export function kubeConfigFor(connection: KubeConnection, env: NodeJS.ProcessEnv = process.env): KubeConfig {
  const config = new KubeConfig();
  const { masterUrl, kubeconfigFile } = connection;
  if (masterUrl !== undefined) {
    const url = new URL(masterUrl); // throws for a URL without scheme and host, as v1.2 refused to start
    if (url.username !== "" || url.password !== "") throw new Error("--kube-master-url must not carry credentials");
  }
  if (kubeconfigFile !== undefined) {
    config.loadFromFile(kubeconfigFile);
    if (masterUrl !== undefined) overrideServer(config, masterUrl);
  } else if (masterUrl !== undefined) {
    config.loadFromClusterAndUser({ name: "master", server: masterUrl.replace(/\/$/, ""), skipTLSVerify: isPlainHttp(masterUrl) }, { name: "anonymous" });
  } else {
    // As v1.2 did, refuse to start outside a cluster instead of retrying https://undefined:undefined for ever.
    const { KUBERNETES_SERVICE_HOST: host, KUBERNETES_SERVICE_PORT: port } = env;
    if (host === undefined || host === "" || port === undefined || port === "") {
      throw new Error("no --kube-master-url or --kubecfg-file, and not in a cluster: KUBERNETES_SERVICE_HOST and KUBERNETES_SERVICE_PORT are not set");
    }
    if (!existsSync(`${SERVICE_ACCOUNT_DIR}/token`)) {
      throw new Error(`in a cluster (KUBERNETES_SERVICE_HOST=${host}) but no service-account token at ${SERVICE_ACCOUNT_DIR}/token; is automountServiceAccountToken off?`);
    }
    config.loadFromCluster();
  }
  return config;
}

function overrideServer(config: KubeConfig, server: string): void {
  const current = config.getCurrentCluster();
  if (current === null) throw new Error("the kubeconfig has no current cluster");
  config.loadFromOptions({
    clusters: config.clusters.map((c) =>
      c.name === current.name ? { ...c, server: server.replace(/\/$/, ""), skipTLSVerify: c.skipTLSVerify || isPlainHttp(server) } : c,
    ),
    users: config.users,
    contexts: config.contexts,
    currentContext: config.getCurrentContext(),
  });
}

// client-node 1.x refuses an http:// server unless skipTLSVerify is set; over plain HTTP there is nothing to verify.
function isPlainHttp(url: string): boolean {
  return new URL(url).protocol === "http:";
}

/** RequestOptions are the per-call options of a generated API method. */
export type RequestOptions = NonNullable<Parameters<CoreV1Api["listServiceForAllNamespaces"]>[1]>;

/** abortableBy returns per-call options that tie a generated API request to signal: aborting it ends the request. */
export function abortableBy(signal: AbortSignal): RequestOptions {
  const middleware: ObservableMiddleware = {
    pre: (context) => {
      context.setSignal(signal);
      return new Observable(Promise.resolve(context));
    },
    post: (context) => new Observable(Promise.resolve(context)),
  };
  return { middleware: [middleware], middlewareMergeStrategy: "append" };
}
