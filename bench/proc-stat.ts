import { readFileSync } from "node:fs";

/** The kernel's clock ticks per second (USER_HZ), the unit of utime and stime in /proc/<pid>/stat. */
const TICKS_PER_SECOND = 100;

/** cpuSeconds is a process's CPU time so far, user plus system, from /proc/<pid>/stat. */
export function cpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  // Fields after the command name (which may hold spaces), from field 3: utime and stime are fields 14 and 15.
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
}

/** Memory is a process's resident set now and at its peak (VmRSS and VmHWM), in MiB. */
export interface Memory {
  readonly rssMb: number;
  readonly peakMb: number;
}

/** memoryOf reads a process's VmRSS and VmHWM from /proc/<pid>/status; NaN for a process that is gone. */
export function memoryOf(pid: number | undefined): Memory {
  let status = "";
  try {
    if (pid !== undefined) status = readFileSync(`/proc/${pid}/status`, "utf8");
  } catch {
    // the process ended: NaN below
  }
  const kib = (field: string): number => Number(new RegExp(`^${field}:\\s+(\\d+)`, "m").exec(status)?.[1] ?? Number.NaN);
  return { rssMb: kib("VmRSS") / 1024, peakMb: kib("VmHWM") / 1024 };
}

/** metricValue reads one sample from a Prometheus text page: the sum of the lines of that metric; NaN when absent. */
export async function metricValue(url: string, name: string): Promise<number> {
  const text = await (await fetch(url, { signal: AbortSignal.timeout(10_000) })).text();
  const lines = text.split("\n").filter((line) => line.startsWith(`${name} `) || line.startsWith(`${name}{`));
  return lines.length === 0 ? Number.NaN : lines.reduce((sum, line) => sum + Number(line.slice(line.lastIndexOf(" ") + 1)), 0);
}

