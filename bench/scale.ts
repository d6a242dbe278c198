// bench/scale.ts: the whole pod at cluster sizes (10,000, 50,000 and 100,000 services by default), measured.
// Not part of the test suite. Run as root from the repository root after `pnpm -r build`:
//
//   node --conditions=source --import tsx bench/scale.ts              # SIZES="10000 50000 100000"
//   SIZES="20000" node --conditions=source --import tsx bench/scale.ts
//
// For each size: a fresh pod (`kube-dns up`, the built programs, a /15 service range), the services written into the
// local cluster's store, then kube2sky's first sync until every name answers right, each container's RSS, and each
// container killed in turn (skydns, kube2sky, the API server, etcd) until it is ready again with every answer right.
// Writes bench/results/scale-<date>.md and .json. Everything stays on loopback.
import { readFileSync, writeFileSync } from "node:fs";
import { seedServices, type SeededService } from "../e2e/harness/cluster-seed.js";
import { sweep, type Expected } from "../e2e/harness/dns-sweep.js";
import type { ContainerName } from "../e2e/harness/pod-processes.js";
import { startPod, type PodUnderTest } from "../e2e/harness/pod-under-test.js";

const SIZES = (process.env["SIZES"] ?? "10000 50000 100000").split(/\s+/).filter(Boolean).map(Number);
const CONTAINERS: readonly ContainerName[] = ["skydns", "kube2sky", "dev-apiserver", "etcd", "exec-healthz"];

interface Memory {
  readonly rssMb: number;
  readonly peakMb: number;
}

interface SizeResult {
  readonly services: number;
  readonly seedSeconds: number;
  readonly firstSyncSeconds: number;
  readonly recordsManaged: number;
  readonly writeRatePerSecond: number;
  readonly sweepQueriesPerSecond: number;
  readonly memory: Record<string, Memory>;
  readonly restartSeconds: Record<string, number>;
  readonly memoryAfterRestart: Record<string, Memory>;
  readonly wrongAnswers: number;
}

function log(text: string): void {
  process.stderr.write(`[scale] ${text}\n`);
}

function services(count: number): SeededService[] {
  // Past the /15's static band; 10.0.1.0 upwards, one address each.
  return Array.from({ length: count }, (_, i) => {
    const offset = 256 + i;
    return { namespace: `bench-${i % 100}`, name: `svc-${i}`, clusterIP: `10.${offset >> 16}.${(offset >> 8) & 255}.${offset & 255}` };
  });
}

async function memoryOf(pod: PodUnderTest, container: ContainerName): Promise<Memory> {
  const pid = await pod.pidOf(container);
  if (pid === undefined) return { rssMb: Number.NaN, peakMb: Number.NaN };
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const kb = (field: string): number => Number(new RegExp(`^${field}:\\s+(\\d+)`, "m").exec(status)?.[1] ?? Number.NaN);
  return { rssMb: kb("VmRSS") / 1024, peakMb: kb("VmHWM") / 1024 };
}

async function kube2skyMetric(pod: PodUnderTest, name: string): Promise<number> {
  const text = await (await fetch(pod.readinessUrl("kube2sky").replace("/readiness", "/metrics"))).text();
  const line = text.split("\n").find((l) => l.startsWith(`${name} `));
  return line === undefined ? Number.NaN : Number(line.split(" ")[1]);
}

async function allRight(pod: PodUnderTest, expected: readonly Expected[], timeoutMs: number): Promise<{ seconds: number; qps: number }> {
  const started = Date.now();
  for (;;) {
    const result = await sweep(pod.dnsIp, 53, expected);
    if (result.mismatches.length === 0) return { seconds: (Date.now() - started) / 1000, qps: result.asked / result.seconds };
    if (Date.now() - started > timeoutMs) throw new Error(`${result.mismatches.length} of ${result.asked} answers still wrong after ${timeoutMs / 1000} s, e.g. ${JSON.stringify(result.mismatches[0])}`);
    log(`${result.mismatches.length} of ${result.asked} not right yet`);
    await new Promise((resolve) => setTimeout(resolve, 2000));
  }
}

async function measure(size: number): Promise<SizeResult> {
  const pod = await startPod({ queryLog: false, built: true, upArgs: ["--service-cluster-ip-range=10.0.0.0/15"] });
  try {
    const list = services(size);
    const expected: Expected[] = list.map((s) => ({ name: `${s.name}.${s.namespace}.svc.cluster.local`, type: "A", rcode: "NOERROR", data: [s.clusterIP] }));
    log(`${size}: writing the services into the cluster's store`);
    let started = Date.now();
    await seedServices(pod.clusterEtcdUrl, list);
    const seedSeconds = (Date.now() - started) / 1000;
    log(`${size}: written in ${seedSeconds.toFixed(1)} s; waiting for every answer`);
    started = Date.now();
    const sync = await allRight(pod, expected, 30 * 60_000);
    const firstSyncSeconds = (Date.now() - started) / 1000;
    const recordsManaged = await kube2skyMetric(pod, "kubedns_kube2sky_records_managed");
    const memory: Record<string, Memory> = {};
    for (const container of CONTAINERS) memory[container] = await memoryOf(pod, container);
    log(`${size}: first sync ${firstSyncSeconds.toFixed(1)} s, ${recordsManaged} records; RSS ${JSON.stringify(memory)}`);
    const restartSeconds: Record<string, number> = {};
    const memoryAfterRestart: Record<string, Memory> = {};
    let wrongAnswers = 0;
    for (const container of ["skydns", "kube2sky", "dev-apiserver", "etcd"] as const) {
      restartSeconds[container] = await pod.kill(container, { timeoutMs: 30 * 60_000 });
      memoryAfterRestart[container] = await memoryOf(pod, container);
      const check = await sweep(pod.dnsIp, 53, expected);
      wrongAnswers += check.mismatches.length;
      log(`${size}: ${container} ready again after ${restartSeconds[container]!.toFixed(1)} s; ${check.mismatches.length} wrong answers`);
    }
    return { services: size, seedSeconds, firstSyncSeconds, recordsManaged, writeRatePerSecond: recordsManaged / firstSyncSeconds, sweepQueriesPerSecond: sync.qps, memory, restartSeconds, memoryAfterRestart, wrongAnswers };
  } finally {
    await pod.stop();
  }
}

function table(results: readonly SizeResult[]): string {
  const mb = (m: Memory | undefined): string => (m === undefined ? "-" : `${m.rssMb.toFixed(0)} / ${m.peakMb.toFixed(0)}`);
  const coredns = (n: number): string => `${(n / 1000 + 54).toFixed(0)}`;
  const rows = results.map((r) =>
    [
      r.services.toLocaleString("en"),
      r.seedSeconds.toFixed(1),
      r.firstSyncSeconds.toFixed(1),
      `${r.recordsManaged.toLocaleString("en")} (${r.writeRatePerSecond.toFixed(0)}/s)`,
      r.restartSeconds["skydns"]?.toFixed(1),
      r.restartSeconds["kube2sky"]?.toFixed(1),
      r.restartSeconds["dev-apiserver"]?.toFixed(1),
      r.restartSeconds["etcd"]?.toFixed(1),
      mb(r.memory["skydns"]),
      mb(r.memoryAfterRestart["skydns"]),
      coredns(r.services),
      mb(r.memory["kube2sky"]),
      mb(r.memoryAfterRestart["kube2sky"]),
      mb(r.memory["dev-apiserver"]),
      mb(r.memory["etcd"]),
      mb(r.memory["exec-healthz"]),
      r.sweepQueriesPerSecond.toFixed(0),
      String(r.wrongAnswers),
    ].join(" | "),
  );
  return [
    "| services | written (s) | first sync (s) | records (write rate) | skydns restart (s) | kube2sky restart (s) | API server restart (s) | etcd restart (s) | skydns RSS / peak MB | skydns after restart | CoreDNS formula MB | kube2sky RSS / peak MB | kube2sky after restart | API server MB | etcd MB | exec-healthz MB | sweep queries/s | wrong answers |",
    "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|",
    ...rows.map((row) => `| ${row} |`),
  ].join("\n");
}

const results: SizeResult[] = [];
for (const size of SIZES) results.push(await measure(size));
const date = new Date().toISOString().slice(0, 10);
const text = `# The pod at cluster scale, ${new Date().toISOString().slice(0, 16)}Z

Machine: 2 cores, node ${process.version}. The built programs (\`kube-dns up\` without --from-source), a /15 service range.
Services are written into the local cluster's store (each with one named port, no selector); "first sync" runs from
then until every service's A record answers right through skydns (kube2sky's list, its etcd writes, skydns's watch).
Restarts are SIGKILL until the container is ready again (skydns: records loaded; kube2sky: full sync done), after
which every name is asked again ("wrong answers" sums those sweeps). RSS and peak (VmHWM) in MiB; the CoreDNS
formula is its published sizing, (pods + services) / 1000 + 54 MB, with no pods here.

${table(results)}
`;
writeFileSync(`bench/results/scale-${date}.md`, text);
writeFileSync(`bench/results/scale-${date}.json`, `${JSON.stringify(results, null, 2)}\n`);
process.stdout.write(text);
log(`written to bench/results/scale-${date}.md and .json`);
