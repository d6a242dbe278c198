import { type CommandResult } from "../command.js";
import { runCommand } from "../command.js";

/** ContainerState is one container of the played pod as podman inspect reports it. */
export interface ContainerState {
  /** The manifest's container name (etcd, kube2sky, skydns, healthz). */
  readonly name: string;
  readonly id: string;
  /** The container's main process on this machine; 0 when it is not running. */
  readonly pid: number;
  readonly status: string;
  readonly restartCount: number;
  readonly oomKilled: boolean;
  readonly memoryLimitBytes: number;
  /** CPU limit in millicores, from the CFS quota (0: none). */
  readonly cpuLimitMillicores: number;
}

interface Inspected {
  Id: string;
  Name: string;
  RestartCount: number;
  State: { Status: string; Pid: number; OOMKilled: boolean };
  HostConfig: { Memory: number; CpuQuota: number; CpuPeriod: number };
}

/** podman runs the podman command and returns its stdout; a non-zero exit throws with what podman said. */
export async function podman(args: readonly string[], timeoutMs = 60_000): Promise<string> {
  const result = await runCommand("podman", args, timeoutMs);
  if (result.code !== 0) throw new Error(`podman ${args.join(" ")} failed (exit ${result.code}): ${result.stderr.trim()}`);
  return result.stdout;
}

/**
 * requirePodman fails at once, saying why, when this machine cannot run containers: not root, or podman missing
 * or not working (./kube-dns setup installs and configures it). Nothing is skipped.
 */
export async function requirePodman(): Promise<void> {
  if (process.getuid?.() !== 0) throw new Error(`the container suite needs root (podman kube play, ip netns); running as uid ${String(process.getuid?.())}`);
  const info = await runCommand("podman", ["info", "--format", "{{.Host.OCIRuntime.Name}} {{.Host.CgroupsVersion}}"], 30_000).catch((error: unknown) => ({
    stdout: "",
    stderr: String(error),
    code: -1,
  }));
  if (info.code !== 0) throw new Error(`podman cannot run here (${info.stderr.trim() || `exit ${info.code}`}): run ./kube-dns setup`);
}

/** podContainers inspects every container of pod but its infra container, keyed by the manifest's container name. */
export async function podContainers(pod: string): Promise<Map<string, ContainerState>> {
  const ids = (await podman(["ps", "-a", "--filter", `pod=${pod}`, "--format", "{{.ID}} {{.IsInfra}}"])).trim().split("\n");
  const workload = ids.map((line) => line.split(" ")).filter(([, infra]) => infra !== "true").map(([id]) => id ?? "");
  const inspected = JSON.parse(await podman(["inspect", ...workload])) as Inspected[];
  return new Map(
    inspected.map((c) => {
      const name = c.Name.slice(pod.length + 1);
      const state: ContainerState = {
        name,
        id: c.Id,
        pid: c.State.Pid,
        status: c.State.Status,
        restartCount: c.RestartCount,
        oomKilled: c.State.OOMKilled,
        memoryLimitBytes: c.HostConfig.Memory,
        cpuLimitMillicores: c.HostConfig.CpuQuota > 0 ? Math.round((1000 * c.HostConfig.CpuQuota) / (c.HostConfig.CpuPeriod || 100_000)) : 0,
      };
      return [name, state];
    }),
  );
}

/** inNetns runs a program in the named network namespace (ip netns exec), bounded by timeoutMs. */
export function inNetns(netns: string, command: string, args: readonly string[], timeoutMs = 15_000): Promise<CommandResult> {
  return runCommand("ip", ["netns", "exec", netns, command, ...args], timeoutMs);
}
