import { existsSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { runCommand } from "../command.js";

/** NETNS is the network namespace the suite creates; podman runs in it, so the pod's network lives inside it. */
export const NETNS = "kube-dns-containers";
const LOCK_FILE = "/run/kube-dns-containers.pid";

/** checked runs a program on the node and returns its stdout; a non-zero exit throws with what it said. */
export async function checked(command: string, args: readonly string[], timeoutMs = 30_000): Promise<string> {
  const result = await runCommand(command, args, timeoutMs);
  if (result.code !== 0) throw new Error(`${command} ${args.join(" ")} failed (exit ${result.code}): ${result.stderr.trim()}`);
  return result.stdout;
}

/** podmanInNetns runs podman inside NETNS (nsenter --net), where the pod's network is made and torn down. */
export function podmanInNetns(args: readonly string[], timeoutMs = 60_000): Promise<string> {
  return checked("nsenter", [`--net=/run/netns/${NETNS}`, "podman", ...args], timeoutMs);
}

/**
 * takeLock makes this process the one container suite of the machine: the pod, its volume and NETNS have fixed
 * names. Throws when a live process holds the lock; a lock whose process is gone is stale and taken over.
 */
export function takeLock(): void {
  if (existsSync(LOCK_FILE)) {
    const owner = Number(readFileSync(LOCK_FILE, "utf8"));
    if (owner !== process.pid && isAlive(owner)) throw new Error(`another container suite is running (pid ${owner}, ${LOCK_FILE})`);
  }
  writeFileSync(LOCK_FILE, String(process.pid));
}

/** releaseLock gives the lock up, if this process holds it. */
export function releaseLock(): void {
  if (existsSync(LOCK_FILE) && Number(readFileSync(LOCK_FILE, "utf8")) === process.pid) rmSync(LOCK_FILE);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * removeLeftovers removes what a run leaves (or a killed run left) behind: the pod (from inside NETNS, where its
 * network is), its volumes, any process still in NETNS, and NETNS itself. Each step is skipped when there is nothing.
 */
export async function removeLeftovers(podName: string, volumes: readonly string[]): Promise<void> {
  const hasNetns = existsSync(`/run/netns/${NETNS}`);
  if ((await runCommand("podman", ["pod", "exists", podName])).code === 0) {
    const remove = ["pod", "rm", "-f", "-t", "5", podName];
    await (hasNetns ? podmanInNetns(remove) : checked("podman", remove, 60_000));
  }
  for (const volume of volumes) {
    if ((await runCommand("podman", ["volume", "exists", volume])).code === 0) await checked("podman", ["volume", "rm", "-f", volume]);
  }
  if (hasNetns) {
    const pids = (await runCommand("ip", ["netns", "pids", NETNS])).stdout.split("\n").filter((line) => line.trim() !== "");
    for (const pid of pids) {
      try {
        process.kill(Number(pid), "SIGKILL");
      } catch {
        // gone already
      }
    }
    await checked("ip", ["netns", "del", NETNS]);
  }
}
