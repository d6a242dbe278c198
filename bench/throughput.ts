// Section 1: skydns against Debian's dnsmasq serving the same names, at the maximum rate and at fixed rates.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePort, startEtcd } from "@kube-dns/etcd-process";
import { Etcd3 } from "etcd3";
import { eventually } from "../e2e/harness/poll.js";
import { putAll } from "../packages/skydns/test/fixture.js";
import { onStop, type OwnedProcess, spawnOwned } from "./cleanup.js";
import { type DnsperfStats, runDnsperf } from "./dnsperf.js";
import { metricValue } from "./proc-stat.js";
import { treeCpuSeconds, treeMemory } from "./proc-tree.js";
import { servedNames } from "./served-names.js";

/** ThroughputOptions size section 1: names served, seconds per run, fixed rates, and skydns's --workers values. */
export interface ThroughputOptions {
  readonly names: number;
  readonly seconds: number;
  readonly rates: readonly number[];
  /** One skydns per entry; undefined runs it without --workers (its default). */
  readonly workers: readonly (number | undefined)[];
  readonly progress: (line: string) => void;
}

/** Load is one run's offered rate: "max" runs dnsperf unlimited. */
export type Load = number | "max";

/** ServerRun is one dnsperf run against one server, with the server's CPU over it. */
export interface ServerRun {
  readonly server: string;
  readonly edns: boolean;
  readonly load: Load;
  readonly stats: DnsperfStats;
  readonly cpuUsPerQuery: number;
  readonly cpuPercentOfCore: number;
}

/** ThroughputResult is every run of section 1, with what both servers held. */
export interface ThroughputResult {
  readonly counts: ReturnType<typeof servedNames>["counts"];
  readonly queryLines: number;
  readonly skydnsIndexRecords: Record<string, number>;
  readonly memory: Record<string, { rssMb: number; peakMb: number }>;
  readonly runs: readonly ServerRun[];
}

interface Server {
  readonly name: string;
  readonly port: number;
  readonly process: OwnedProcess;
}

const SKYDNS_MAIN = "packages/skydns/dist/main.js";
const QUERY_LINES = 20_000;

/** measureThroughput runs section 1 and stops every process it started, also when a run fails. */
export async function measureThroughput(options: ThroughputOptions): Promise<ThroughputResult> {
  const scratch = mkdtempSync(join(tmpdir(), "kube-dns-bench-"));
  const removeScratch = onStop(() => rmSync(scratch, { recursive: true, force: true }));
  const etcd = await startEtcd();
  const stopEtcd = onStop(() => etcd.stop());
  const servers: Server[] = [];
  try {
    const names = servedNames(options.names, QUERY_LINES);
    const client = new Etcd3({ hosts: etcd.clientUrl });
    await putAll(client, [...names.records].map(([key, value]) => ({ key, value })));
    client.close();
    const hostsFile = join(scratch, "hosts");
    const queryFile = join(scratch, "queries");
    writeFileSync(hostsFile, `${names.hostsLines.join("\n")}\n`);
    writeFileSync(queryFile, `${names.queries.join("\n")}\n`);
    const skydnsIndexRecords: Record<string, number> = {};
    for (const workers of options.workers) {
      const name = workers === undefined ? "skydns" : `skydns --workers ${workers}`;
      const port = await freePort("127.0.0.1");
      const metricsPort = await freePort("127.0.0.1");
      const args = [SKYDNS_MAIN, "--addr", `127.0.0.1:${port}`, "--machines", etcd.clientUrl, "--no-rec", "--metrics-addr", `127.0.0.1:${metricsPort}`, "--log-level", "warn", ...(workers === undefined ? [] : ["--workers", String(workers)])];
      const owned = spawnOwned("node", args);
      servers.push({ name, port, process: owned });
      const metrics = `http://127.0.0.1:${metricsPort}`;
      await eventually(async () => ((await fetch(`${metrics}/ready`)).ok ? true : undefined), { what: `${name} ready`, timeoutMs: 30_000, intervalMs: 50 });
      skydnsIndexRecords[name] = await metricValue(`${metrics}/metrics`, "kubedns_skydns_index_records");
    }
    const masqPort = await freePort("127.0.0.1");
    const masq = spawnOwned("dnsmasq", [
      "--keep-in-foreground", `--port=${masqPort}`, "--listen-address=127.0.0.1", "--bind-interfaces", "--no-resolv", "--no-hosts",
      "--user=root", "--pid-file=", "--local-ttl=30", "--local=/cluster.local/", `--addn-hosts=${hostsFile}`,
      ...names.srvHosts.map((value) => `--srv-host=${value}`),
    ]);
    servers.push({ name: "dnsmasq", port: masqPort, process: masq });
    await eventually(async () => {
      const stats = await runDnsperf({ host: "127.0.0.1", port: masqPort, queryFile, seconds: 1, qps: 100, edns: false, perQuery: false });
      return stats.completed > 0 ? true : undefined;
    }, { what: "dnsmasq answering", timeoutMs: 15_000, intervalMs: 200 });
    options.progress(`throughput: ${options.names} names in each of ${servers.map((s) => s.name).join(", ")}; skydns index ${JSON.stringify(skydnsIndexRecords)}`);
    for (const server of servers) await runDnsperf({ host: "127.0.0.1", port: server.port, queryFile, seconds: 2, qps: 20_000, edns: false, perQuery: false });
    const runs: ServerRun[] = [];
    for (const edns of [false, true]) {
      for (const load of ["max", ...options.rates] as const) {
        for (const server of servers) {
          const run = await measureRun(server, queryFile, options.seconds, load, edns);
          runs.push(run);
          options.progress(`throughput: ${server.name} ${edns ? "EDNS" : "no EDNS"} ${load}: ${run.stats.qps.toFixed(0)} q/s, lost ${run.stats.lost}, ${run.cpuUsPerQuery.toFixed(1)} µs CPU/query, p99 ${run.stats.p99Ms?.toFixed(2) ?? "-"} ms`);
        }
      }
    }
    const memory = Object.fromEntries(servers.map((s) => [s.name, treeMemory(s.process.pid)]));
    return { counts: names.counts, queryLines: QUERY_LINES, skydnsIndexRecords, memory, runs };
  } finally {
    for (const server of servers.reverse()) await server.process.stop();
    await stopEtcd();
    await removeScratch();
  }
}

async function measureRun(server: Server, queryFile: string, seconds: number, load: Load, edns: boolean): Promise<ServerRun> {
  const before = treeCpuSeconds(server.process.pid);
  const stats = await runDnsperf({ host: "127.0.0.1", port: server.port, queryFile, seconds, edns, perQuery: load !== "max", ...(load === "max" ? {} : { qps: load }) });
  const cpu = treeCpuSeconds(server.process.pid) - before;
  return { server: server.name, edns, load, stats, cpuUsPerQuery: (cpu * 1e6) / Math.max(1, stats.completed), cpuPercentOfCore: (cpu / seconds) * 100 };
}
