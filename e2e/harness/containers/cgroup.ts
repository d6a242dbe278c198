import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";

const ROOT = "/sys/fs/cgroup";

/** CgroupCounters are a container's cgroup counters at one moment (cgroup v1 or v2, read the same way). */
export interface CgroupCounters {
  /** CPU time used since the cgroup was made, in seconds. */
  readonly cpuSeconds: number;
  /** CFS periods the container was throttled in, and for how long, under its CPU limit. */
  readonly throttledPeriods: number;
  readonly throttledSeconds: number;
  /** Anonymous memory now (the part the kernel cannot drop under pressure: heaps, stacks), in bytes. */
  readonly anonBytes: number;
  /** Times the kernel's OOM killer killed a process of the cgroup. */
  readonly oomKills: number;
}

/**
 * cgroupCounters reads the counters of the cgroups pid belongs to, from /proc/PID/cgroup: the memory, cpu and cpuacct
 * hierarchies of cgroup v1, or the one hierarchy of v2.
 */
export function cgroupCounters(pid: number): CgroupCounters {
  const paths = new Map<string, string>();
  for (const line of readFileSync(`/proc/${pid}/cgroup`, "utf8").split("\n")) {
    const [, controllers, path] = line.split(":");
    if (path === undefined || controllers === undefined) continue;
    for (const controller of controllers === "" ? ["unified"] : controllers.split(",")) paths.set(controller, path);
  }
  const memory = paths.get("memory");
  if (memory !== undefined) {
    const cpuStat = keyed(read("cpu", paths.get("cpu") ?? "", "cpu.stat"));
    return {
      cpuSeconds: Number(read("cpuacct", paths.get("cpuacct") ?? "", "cpuacct.usage")) / 1e9,
      throttledPeriods: cpuStat.get("nr_throttled") ?? 0,
      throttledSeconds: (cpuStat.get("throttled_time") ?? 0) / 1e9,
      anonBytes: keyed(read("memory", memory, "memory.stat")).get("total_rss") ?? 0,
      oomKills: keyed(read("memory", memory, "memory.oom_control")).get("oom_kill") ?? 0,
    };
  }
  const unified = paths.get("unified") ?? "";
  const cpuStat = keyed(read("", unified, "cpu.stat"));
  return {
    cpuSeconds: (cpuStat.get("usage_usec") ?? 0) / 1e6,
    throttledPeriods: cpuStat.get("nr_throttled") ?? 0,
    throttledSeconds: (cpuStat.get("throttled_usec") ?? 0) / 1e6,
    anonBytes: keyed(read("", unified, "memory.stat")).get("anon") ?? 0,
    oomKills: keyed(read("", unified, "memory.events")).get("oom_kill") ?? 0,
  };
}

function read(hierarchy: string, path: string, file: string): string {
  const full = join(ROOT, hierarchy, path, file);
  return existsSync(full) ? readFileSync(full, "utf8") : "";
}

// "key value" lines, as memory.stat and cpu.stat have them.
function keyed(text: string): Map<string, number> {
  return new Map(text.split("\n").map((line) => line.split(" ")).filter((f) => f.length === 2).map(([key, value]) => [key ?? "", Number(value)]));
}
