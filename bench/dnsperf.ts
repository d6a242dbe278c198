import { spawn } from "node:child_process";
import { createInterface } from "node:readline";
import { onStop } from "./cleanup.js";

/** DnsperfLoad is one dnsperf run: the server, the query file, how long, how fast (unset: as fast as it can). */
export interface DnsperfLoad {
  readonly host: string;
  readonly port: number;
  readonly queryFile: string;
  readonly seconds: number;
  /** dnsperf -Q; undefined runs unlimited (4 clients, 100 queries outstanding), which finds the maximum. */
  readonly qps?: number;
  /** dnsperf -e: every query carries an EDNS0 OPT record (4,096-byte UDP size). */
  readonly edns: boolean;
  /** dnsperf -v: each query's latency is read, for percentiles (the printing costs dnsperf some CPU). */
  readonly perQuery: boolean;
}

/** DnsperfStats is what dnsperf reported, plus latency percentiles when every query's latency was read. */
export interface DnsperfStats {
  readonly sent: number;
  readonly completed: number;
  readonly lost: number;
  readonly qps: number;
  readonly avgLatencyMs: number;
  readonly maxLatencyMs: number;
  readonly p50Ms: number | undefined;
  readonly p99Ms: number | undefined;
  /** Responses by code, e.g. { NOERROR: 9000, NXDOMAIN: 1000 }. */
  readonly rcodes: Readonly<Record<string, number>>;
}

/** dnsperfArgs is dnsperf's command line for a load: 4 clients on one thread, as every run of the suite uses. */
export function dnsperfArgs(load: DnsperfLoad): string[] {
  return [
    "-s", load.host, "-p", String(load.port), "-d", load.queryFile, "-l", String(load.seconds), "-c", "4", "-T", "1", "-t", "2",
    ...(load.qps === undefined ? [] : ["-Q", String(load.qps)]),
    ...(load.edns ? ["-e"] : []),
    ...(load.perQuery ? ["-v"] : []),
  ];
}

/** runDnsperf runs dnsperf once, bounded by the load's duration plus 30 s, and returns its statistics. */
export async function runDnsperf(load: DnsperfLoad): Promise<DnsperfStats> {
  const child = spawn("dnsperf", dnsperfArgs(load), { stdio: ["ignore", "pipe", "pipe"] });
  const unregister = onStop(() => void child.kill("SIGKILL"));
  const killer = setTimeout(() => child.kill("SIGKILL"), (load.seconds + 30) * 1000);
  const latencies: number[] = [];
  const summary: string[] = [];
  createInterface({ input: child.stdout }).on("line", (line) => {
    if (line.startsWith("> ")) latencies.push(Number(line.slice(line.lastIndexOf(" ") + 1)) * 1000);
    else summary.push(line);
  });
  let stderr = "";
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  const code = await new Promise<number | null>((resolve) => child.once("close", resolve));
  clearTimeout(killer);
  await unregister();
  if (code !== 0) throw new Error(`dnsperf ${dnsperfArgs(load).join(" ")} exited with ${code}: ${stderr.slice(-500)}`);
  return { ...parseDnsperf(summary.join("\n")), ...latencyPercentiles(latencies) };
}

/** parseDnsperf reads dnsperf's statistics block (without per-query lines). */
export function parseDnsperf(text: string): DnsperfStats {
  const number = (pattern: RegExp): number => Number(pattern.exec(text)?.[1] ?? Number.NaN);
  const rcodes: Record<string, number> = {};
  const codes = /Response codes:\s+(.*)/.exec(text)?.[1] ?? "";
  for (const match of codes.matchAll(/([A-Z]+) (\d+)/g)) rcodes[match[1]!] = Number(match[2]);
  return {
    sent: number(/Queries sent:\s+(\d+)/),
    completed: number(/Queries completed:\s+(\d+)/),
    lost: number(/Queries lost:\s+(\d+)/),
    qps: number(/Queries per second:\s+([\d.]+)/),
    avgLatencyMs: number(/Average Latency \(s\):\s+([\d.]+)/) * 1000,
    maxLatencyMs: number(/Average Latency \(s\):.*max ([\d.]+)/) * 1000,
    p50Ms: undefined,
    p99Ms: undefined,
    rcodes,
  };
}

/** latencyPercentiles gives p50 and p99 of latencies (ms), or nothing for an empty list. */
export function latencyPercentiles(latenciesMs: number[]): { p50Ms?: number; p99Ms?: number } {
  if (latenciesMs.length === 0) return {};
  const sorted = Float64Array.from(latenciesMs).sort();
  return { p50Ms: percentile(sorted, 0.5), p99Ms: percentile(sorted, 0.99) };
}

/** percentile is the nearest-rank percentile (0 < p <= 1) of ascending values. */
export function percentile(sorted: ArrayLike<number>, p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))]!;
}
