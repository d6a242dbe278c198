import { mkdirSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { stringify } from "yaml";

/** CONTEXT_NAME names the cluster, user and context of the written kubeconfig. */
export const CONTEXT_NAME = "dev-apiserver";

/** kubeconfigYaml renders a kubeconfig that points kubectl and client libraries at url. */
export function kubeconfigYaml(url: string, token: string | undefined): string {
  return stringify({
    apiVersion: "v1",
    kind: "Config",
    // client-node 1.x refuses plain http unless TLS verification is off for the cluster.
    clusters: [{ name: CONTEXT_NAME, cluster: { server: url, "insecure-skip-tls-verify": true } }],
    users: [{ name: CONTEXT_NAME, user: token === undefined ? {} : { token } }],
    contexts: [{ name: CONTEXT_NAME, context: { cluster: CONTEXT_NAME, user: CONTEXT_NAME, namespace: "default" } }],
    "current-context": CONTEXT_NAME,
    preferences: {},
  });
}

/** writeKubeconfig writes the kubeconfig to path (mode 0600: it may hold the token), creating its directory. */
export function writeKubeconfig(path: string, url: string, token: string | undefined): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, kubeconfigYaml(url, token), { mode: 0o600 });
}
