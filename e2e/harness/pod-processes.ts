import { join } from "node:path";
import { escapeRegExp, pgrep, runCommand } from "./command.js";
import type { PodPorts } from "./pod-ports.js";

/** A container of the kube-dns pod (or the local cluster) that pidOf can find. */
export type ContainerName = "skydns" | "kube2sky" | "exec-healthz" | "etcd" | "dev-apiserver";

/** containerPattern matches a container's command line by an argument only that container of this pod has. */
export function containerPattern(container: ContainerName, stateDir: string, ports: PodPorts): string {
  const patterns: Record<ContainerName, string> = {
    skydns: `--metrics-addr=127\\.0\\.0\\.1:${ports.metrics}( |$)`,
    kube2sky: `--healthz-port=${ports.readiness}( |$)`,
    "exec-healthz": `--port=${ports.healthz}( |$)`,
    etcd: `--data-dir=${escapeRegExp(join(stateDir, "etcd"))}( |$)`,
    "dev-apiserver": `--secure-port=${ports.apiserver}( |$)`,
  };
  return patterns[container];
}

/**
 * killLeftovers finds every process of this pod still running (by its state dir or one of its ports), SIGKILLs it and
 * returns one line per process found: after the launcher stopped, that list must be empty.
 */
export async function killLeftovers(stateDir: string, ports: PodPorts): Promise<string[]> {
  const mine = [
    escapeRegExp(stateDir),
    `127\\.0\\.0\\.1:(${ports.etcd}|${ports.clusterEtcd}|${ports.metrics})`,
    `--(port|healthz-port|secure-port)=(${ports.healthz}|${ports.readiness}|${ports.apiserver})( |$)`,
  ];
  const found: string[] = [];
  for (const pid of await pgrep(mine.join("|"))) {
    const { stdout } = await runCommand("ps", ["-o", "args=", "-p", String(pid)], 5000);
    found.push(`left running after the launcher stopped: ${pid} ${stdout.trim()}`);
    try {
      process.kill(pid, "SIGKILL");
    } catch {
      // gone meanwhile
    }
  }
  return found;
}
