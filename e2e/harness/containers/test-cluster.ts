import { type ChildProcess, spawn } from "node:child_process";
import { createInterface } from "node:readline";
import { stringify } from "yaml";
import { REPO_ROOT } from "../launcher-process.js";
import { NETNS } from "./netns.js";

/** ClusterPorts are where the test's API server listens in NETNS: its TLS front, the plain server and its etcd. */
export interface ClusterPorts {
  readonly api: number;
  readonly plain: number;
  readonly etcd: number;
}

/**
 * startCluster runs cluster-main.ts in NETNS (the test's etcd, dev-apiserver and TLS front, keys and token from dir)
 * and resolves once it says it is ready; its stderr is in the error when it never does. A runner that dies takes it
 * along.
 */
export async function startCluster(dir: string, token: string, ports: ClusterPorts): Promise<ChildProcess> {
  const args = ["--dir", dir, "--token", token, "--api-port", String(ports.api), "--plain-port", String(ports.plain), "--etcd-port", String(ports.etcd)];
  const child = spawn("ip", ["netns", "exec", NETNS, process.execPath, "--conditions=source", "--import", "tsx", "e2e/harness/containers/cluster-main.ts", ...args], {
    cwd: REPO_ROOT,
    stdio: ["ignore", "pipe", "pipe"],
  });
  process.once("exit", () => child.kill("SIGKILL"));
  let stderr = "";
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString("utf8")));
  const lines = createInterface({ input: child.stdout });
  const ready = new Promise<void>((resolve, reject) => {
    lines.on("line", (line) => {
      if (line.includes('"ready":true')) resolve();
    });
    child.once("exit", (code) => reject(new Error(`the test's API server exited (${String(code)}) before it was ready: ${stderr.trim()}`)));
  });
  const timeout = new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`the test's API server was not ready within 60 s: ${stderr.trim()}`)), 60_000).unref());
  try {
    await Promise.race([ready, timeout]);
  } catch (error) {
    child.kill("SIGKILL");
    throw error;
  }
  return child;
}

/** stopCluster ends it: SIGTERM, then SIGKILL after 10 s. */
export async function stopCluster(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once("exit", resolve));
  child.kill("SIGTERM");
  const timer = setTimeout(() => child.kill("SIGKILL"), 10_000);
  await exited;
  clearTimeout(timer);
}

/** kubeconfig is kubectl's view of the test's API server: what kube2sky uses, the TLS front, its CA and the token. */
export function kubeconfig(server: string, caFile: string, token: string): string {
  return stringify({
    apiVersion: "v1",
    kind: "Config",
    clusters: [{ name: "played", cluster: { server, "certificate-authority": caFile } }],
    users: [{ name: "played", user: { token } }],
    contexts: [{ name: "played", context: { cluster: "played", user: "played", namespace: "default" } }],
    "current-context": "played",
  });
}
