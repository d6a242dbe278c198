import { readFileSync } from "node:fs";
import { type CgroupCounters, cgroupCounters } from "./cgroup.js";
import type { ContainerState } from "./podman.js";
import { processMemory } from "./proc-status.js";

/** ContainerUsage is what one container used over a sampled window. */
export interface ContainerUsage {
  /** The resident set of its main process at the window's first sample, in bytes. */
  readonly firstRssBytes: number;
  /** The highest resident set of its main process (VmHWM), in bytes. */
  readonly peakRssBytes: number;
  /** The highest anonymous memory of its cgroup seen by a sample, in bytes. */
  readonly peakAnonBytes: number;
  /** The time between the window's first and last samples, and the CPU time used in it. */
  readonly windowSeconds: number;
  readonly cpuSeconds: number;
  /** The busiest interval between two samples, in millicores. */
  readonly peakMillicores: number;
  readonly throttledPeriods: number;
  readonly throttledSeconds: number;
  readonly oomKills: number;
}

interface Sample {
  readonly atMs: number;
  readonly counters: CgroupCounters;
  readonly rssBytes: number;
  readonly peakRssBytes: number;
}

/**
 * UsageSampler reads every container's process and cgroup counters every intervalMs until stop(), and reports per
 * container, for the whole window or since a mark, the peaks and the totals. The container's pid is read afresh
 * each time, so a restart shows (as an OOM kill in the cgroup counters, or a new process).
 */
export class UsageSampler {
  private readonly samples = new Map<string, Sample[]>();
  private readonly timer: NodeJS.Timeout;
  private sampling: Promise<void> = Promise.resolve();

  constructor(
    private readonly containers: () => Promise<Map<string, ContainerState>>,
    intervalMs = 1000,
  ) {
    this.timer = setInterval(() => {
      this.sampling = this.sampling.then(() => this.sample()).catch(() => undefined);
    }, intervalMs);
  }

  /** sample takes one reading of every running container now. */
  async sample(): Promise<void> {
    const atMs = Date.now();
    for (const [name, container] of await this.containers()) {
      if (container.pid === 0) continue;
      try {
        const { rssBytes, peakRssBytes } = processMemory(readFileSync(`/proc/${container.pid}/status`, "utf8"));
        const list = this.samples.get(name) ?? [];
        list.push({ atMs, counters: cgroupCounters(container.pid), rssBytes, peakRssBytes });
        this.samples.set(name, list);
      } catch {
        // the process ended between inspect and read: the next sample sees its successor
      }
    }
  }

  /** mark returns the time to give usage() for a window that starts now. */
  mark(): number {
    return Date.now();
  }

  /** usage reports each container's use over the samples taken from sinceMs to untilMs (all of them by default). */
  usage(sinceMs = 0, untilMs = Number.POSITIVE_INFINITY): Map<string, ContainerUsage> {
    const report = new Map<string, ContainerUsage>();
    for (const [name, all] of this.samples) {
      const samples = all.filter((s) => s.atMs >= sinceMs && s.atMs <= untilMs);
      const first = samples[0];
      const last = samples.at(-1);
      if (first === undefined || last === undefined) continue;
      let peakMillicores = 0;
      for (let i = 1; i < samples.length; i++) {
        const [a, b] = [samples[i - 1]!, samples[i]!];
        peakMillicores = Math.max(peakMillicores, (1000 * (b.counters.cpuSeconds - a.counters.cpuSeconds)) / ((b.atMs - a.atMs) / 1000));
      }
      report.set(name, {
        firstRssBytes: first.rssBytes,
        peakRssBytes: Math.max(...samples.map((s) => s.peakRssBytes)),
        peakAnonBytes: Math.max(...samples.map((s) => s.counters.anonBytes)),
        windowSeconds: (last.atMs - first.atMs) / 1000,
        cpuSeconds: last.counters.cpuSeconds - first.counters.cpuSeconds,
        peakMillicores: Math.round(peakMillicores),
        throttledPeriods: last.counters.throttledPeriods - first.counters.throttledPeriods,
        throttledSeconds: last.counters.throttledSeconds - first.counters.throttledSeconds,
        oomKills: last.counters.oomKills,
      });
    }
    return report;
  }

  /** stop ends sampling after one last reading. */
  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.sampling;
    await this.sample();
  }
}
