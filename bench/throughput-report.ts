import { fmt, type Section, table, type Target, targetTable } from "./report.js";
import { QUERY_MIX } from "./served-names.js";
import { barChart } from "./svg.js";
import type { Load, ServerRun, ThroughputResult } from "./throughput.js";

const BASELINE = "dnsmasq";

/** throughputSection formats section 1: every run, the ratios skydns / dnsmasq, the targets, two charts. */
export function throughputSection(result: ThroughputResult, seconds: number): Section {
  const servers = [...new Set(result.runs.map((r) => r.server))];
  const skydnses = servers.filter((s) => s !== BASELINE);
  const loads = [...new Set(result.runs.map((r) => r.load))];
  const find = (server: string, edns: boolean, load: Load): ServerRun | undefined => result.runs.find((r) => r.server === server && r.edns === edns && r.load === load);
  const loadName = (load: Load): string => (load === "max" ? "max (unlimited)" : `${fmt(load)} q/s`);
  const runRows = result.runs.map((r) => [
    r.server, r.edns ? "yes" : "no", loadName(r.load), fmt(r.stats.qps), fmt(r.stats.lost), fmt(r.cpuUsPerQuery, 1), fmt(r.cpuPercentOfCore),
    fmt(r.stats.avgLatencyMs, 3), fmt(r.stats.p50Ms, 3), fmt(r.stats.p99Ms, 3), Object.entries(r.stats.rcodes).map(([code, n]) => `${code} ${fmt(n)}`).join(", "),
  ]);
  const ratioRows: string[][] = [];
  const targets: Target[] = [];
  for (const server of skydnses) {
    for (const edns of [false, true]) {
      const mode = edns ? "EDNS" : "no EDNS";
      const ratio = (load: Load, pick: (r: ServerRun) => number): number => {
        const [mine, theirs] = [find(server, edns, load), find(BASELINE, edns, load)];
        return mine === undefined || theirs === undefined ? Number.NaN : pick(mine) / pick(theirs);
      };
      ratioRows.push([server, mode, fmt(ratio("max", (r) => r.stats.qps), 2), ...loads.map((load) => `${fmt(ratio(load, (r) => r.cpuUsPerQuery), 2)}x`)]);
      targets.push(
        { what: `${server}, ${mode}: max q/s as a share of dnsmasq's`, measured: ratio("max", (r) => r.stats.qps) * 100, op: ">=", limit: 90, unit: " %" },
        { what: `${server}, ${mode}: CPU per query / dnsmasq's at 20,000 q/s`, measured: ratio(20_000, (r) => r.cpuUsPerQuery), op: "<=", limit: 1.5, unit: "x" },
        { what: `${server}, ${mode}: CPU per query / dnsmasq's at saturation (max)`, measured: ratio("max", (r) => r.cpuUsPerQuery), op: "<=", limit: 1.3, unit: "x" },
        { what: `${server}, ${mode}: p99 latency at 20,000 q/s`, measured: find(server, edns, 20_000)?.stats.p99Ms ?? Number.NaN, op: "<", limit: 1, unit: " ms" },
        { what: `${server}, ${mode}: queries lost at 50,000 q/s`, measured: find(server, edns, 50_000)?.stats.lost ?? Number.NaN, op: "==", limit: 0 },
        // dnsperf keeps at most 100 queries outstanding, so a server that cannot keep up is sent fewer, and loses none.
        { what: `${server}, ${mode}: answered share of the offered 50,000 q/s`, measured: ((find(server, edns, 50_000)?.stats.qps ?? Number.NaN) / 50_000) * 100, op: ">=", limit: 99, unit: " %" },
      );
    }
  }
  const { counts } = result;
  const markdown = `
Both servers answer the same ${fmt(counts.clusterIp + counts.srv + counts.headless)} names on 127.0.0.1: ${fmt(counts.clusterIp)} ClusterIP
services (A), the SRV names of ${fmt(counts.srv)} of them (\`_http._tcp.<svc>\`), ${fmt(counts.headless)} headless services with
${counts.endpointsPerHeadless} addresses each. skydns reads the records kube2sky's own record builder makes for those services from a
real etcd (its index then holds ${Object.entries(result.skydnsIndexRecords).map(([s, n]) => `${fmt(n)} records in ${s}`).join(", ")}: PTR and the SRV of every
service too). dnsmasq (Debian's) reads the A names from a hosts file (\`--addn-hosts\`, which it hashes), one line per
address (several lines for a headless name), the SRV names as \`--srv-host\` options, only those the query file asks
(dnsmasq scans that list per SRV query), and \`--local=/cluster.local/\` so that other names are NXDOMAIN.

Query file: ${fmt(result.queryLines)} lines, ClusterIP A ${QUERY_MIX.clusterIp} %, SRV ${QUERY_MIX.srv} %, headless A ${QUERY_MIX.headless} %,
NXDOMAIN ${QUERY_MIX.nxdomain} %, every letter in random case. Each run: \`dnsperf -c 4 -T 1 -l ${seconds}\` with \`-Q RATE\` (or
unlimited for the maximum), with and without \`-e\` (EDNS0). CPU is utime+stime of the server (and any child process) from
/proc/<pid>/stat around the run. p50/p99 come from every query's latency (\`dnsperf -v\`), read in the fixed-rate runs
only (printing them costs dnsperf CPU, which would lower the maximum); the maximum runs give dnsperf's average.

${table(["server", "EDNS", "offered", "answered q/s", "lost", "CPU µs/query", "CPU % of a core", "avg ms", "p50 ms", "p99 ms", "responses"], runRows)}

Ratios skydns / dnsmasq (max q/s, then CPU per query at each load):

${table(["server", "mode", "max q/s ratio", ...loads.map((l) => `CPU/query ${loadName(l)}`)], ratioRows)}

${targetTable(targets)}

Memory after the runs (RSS / peak MiB): ${Object.entries(result.memory).map(([s, m]) => `${s} ${fmt(m.rssMb)} / ${fmt(m.peakMb)}`).join(", ")}.
`;
  const modes = [false, true];
  const figures = [
    {
      file: "throughput-max-qps.svg",
      title: "Maximum queries per second",
      svg: barChart({ title: "Maximum answered queries/s (dnsperf unlimited)", categories: modes.map((e) => (e ? "EDNS" : "no EDNS")), yLabel: "queries/s", series: servers.map((s) => ({ name: s, values: modes.map((e) => find(s, e, "max")?.stats.qps ?? Number.NaN) })) }),
    },
    {
      file: "throughput-cpu-per-query.svg",
      title: "CPU per query",
      svg: barChart({ title: "Server CPU µs per query (no EDNS)", categories: loads.map(loadName), yLabel: "µs CPU per query", series: servers.map((s) => ({ name: s, values: loads.map((l) => find(s, false, l)?.cpuUsPerQuery ?? Number.NaN) })) }),
    },
  ];
  return { title: "Throughput and CPU per query: skydns against dnsmasq", markdown, figures };
}
