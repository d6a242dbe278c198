import { KubeConfig } from "@kubernetes/client-node";

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
 * (v1.2 reference section 2.1).
 */
export function kubeConfigFor(connection: KubeConnection): KubeConfig {
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
