// Sections 3 and 4: the whole pod at cluster sizes (10,000, 50,000 and 100,000 services by default), measured:
// kube2sky's first sync, skydns's load time, the API server's create rate, answer latency, each container's memory.
import { rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type KubeObject, storeObjects } from "@kube-dns/dev-apiserver";
import { freePort } from "@kube-dns/etcd-process";
import { createThroughApi } from "../e2e/harness/api-client.js";
import { seedServices } from "../e2e/harness/cluster-seed.js";
import { sweep, type Expected } from "../e2e/harness/dns-sweep.js";
import { eventually } from "../e2e/harness/poll.js";
import type { PodUnderTest } from "../e2e/harness/pod-under-test.js";
import { spawnOwned } from "./cleanup.js";
import { allRight, benchServices, expectedA, startBenchPod } from "./cluster.js";
import { type DnsperfStats, runDnsperf } from "./dnsperf.js";
import { type Memory, memoryOf, metricValue } from "./proc-stat.js";

/** The containers of the pod whose memory is read (the API server is the local cluster's, not the pod's). */
export const CONTAINERS = ["etcd", "kube2sky", "skydns", "exec-healthz", "dev-apiserver"] as const;
export type Container = (typeof CONTAINERS)[number];

/** SizeResult is one cluster size measured. */
export interface SizeResult {
  readonly services: number;
  readonly headless: number;
  readonly endpointsPerHeadless: number;
  readonly seedSeconds: number;
  readonly firstSyncSeconds: number;
  readonly recordsManaged: number;
  readonly writeRatePerSecond: number;
  /** A second skydns started on the synced etcd: spawn until /ready, and its memory then. */
  readonly skydnsLoadSeconds: number;
  readonly skydnsIndexRecords: number;
  readonly skydnsLoadedMemory: Memory;
  readonly apiCreates: number;
  readonly apiCreatesPerSecond: number;
  readonly answers: DnsperfStats;
  readonly memory: Record<Container, Memory>;
  readonly restartSeconds: Partial<Record<Container, number>>;
  readonly wrongAnswers: number;
  /** kube2sky's elections won and transactions refused by the fence over the run (leadership lost and regained). */
  readonly kube2skyElections: number;
  readonly kube2skyFencedTxns: number;
  /** Why the size was not measured to the end (the first sync did not finish in time); the rest is then NaN. */
  readonly failure?: string;
}

export interface ScaleOptions {
  readonly sizes: readonly number[];
  /** Headless services (ENDPOINTS_PER_HEADLESS endpoints each) added at the first size. */
  readonly headless: number;
  /** Also SIGKILL each container in turn and time it until ready again. */
  readonly restarts: boolean;
  readonly quick: boolean;
  /** How long the first sync may take before the size is recorded as failed and the next one starts. */
  readonly firstSyncTimeoutMs: number;
  readonly progress: (line: string) => void;
}

export const ENDPOINTS_PER_HEADLESS = 10;
const SKYDNS_MAIN = "packages/skydns/dist/main.js";

/** measureScale measures each size with a fresh pod, stopped before the next one starts. */
export async function measureScale(options: ScaleOptions): Promise<SizeResult[]> {
  const results: SizeResult[] = [];
  for (const [i, size] of options.sizes.entries()) results.push(await measureSize(size, i === 0 ? options.headless : 0, options));
  return results;
}

async function measureSize(size: number, headless: number, options: ScaleOptions): Promise<SizeResult> {
  const progress = (line: string): void => options.progress(`scale ${size}${headless > 0 ? ` + ${headless} headless` : ""}: ${line}`);
  const { pod, stop } = await startBenchPod();
  try {
    const list = benchServices(size);
    const expected = [...expectedA(list), ...headlessExpected(headless)];
    progress("writing the services into the cluster's store");
    let started = Date.now();
    await seedServices(pod.clusterEtcdUrl, list);
    await storeObjects(pod.clusterEtcdUrl, headlessObjects(headless));
    const seedSeconds = (Date.now() - started) / 1000;
    progress(`written in ${seedSeconds.toFixed(1)} s; waiting for every answer`);
    started = Date.now();
    const failure = await allRight(pod, expected, options.firstSyncTimeoutMs, progress).then(() => undefined, (error: unknown) => String(error));
    const firstSyncSeconds = failure === undefined ? (Date.now() - started) / 1000 : Number.NaN;
    const recordsManaged = await kube2skyMetric(pod, "kubedns_kube2sky_records_managed");
    const memory = Object.fromEntries(await Promise.all(CONTAINERS.map(async (c) => [c, memoryOf(await pod.pidOf(c))] as const))) as Record<Container, Memory>;
    const kube2skyElections = await kube2skyMetric(pod, "kubedns_kube2sky_elections_total");
    const kube2skyFencedTxns = await kube2skyMetric(pod, "kubedns_kube2sky_fenced_txns_total");
    if (failure !== undefined) {
      progress(`first sync not done: ${failure}; kube2sky ${recordsManaged} records, ${kube2skyElections} elections, ${kube2skyFencedTxns} fenced transactions`);
      const none = { sent: 0, completed: 0, lost: Number.NaN, qps: Number.NaN, avgLatencyMs: Number.NaN, maxLatencyMs: Number.NaN, p50Ms: undefined, p99Ms: undefined, rcodes: {} };
      return {
        services: size, headless, endpointsPerHeadless: ENDPOINTS_PER_HEADLESS, seedSeconds, firstSyncSeconds, recordsManaged, writeRatePerSecond: Number.NaN,
        skydnsLoadSeconds: Number.NaN, skydnsIndexRecords: Number.NaN, skydnsLoadedMemory: { rssMb: Number.NaN, peakMb: Number.NaN }, apiCreates: 0,
        apiCreatesPerSecond: Number.NaN, answers: none, memory, restartSeconds: {}, wrongAnswers: Number.NaN, kube2skyElections, kube2skyFencedTxns, failure,
      };
    }
    progress(`first sync ${firstSyncSeconds.toFixed(1)} s, ${recordsManaged} records; skydns RSS ${memory.skydns.rssMb.toFixed(0)} MiB`);
    const load = await loadSecondSkydns(pod.etcdUrl);
    progress(`a second skydns loaded ${load.records} records in ${load.seconds.toFixed(2)} s`);
    const answers = await answerLatency(pod, list, options.quick ? 3 : 5);
    progress(`answers at 5,000 q/s: p50 ${answers.p50Ms?.toFixed(2)} ms, p99 ${answers.p99Ms?.toFixed(2)} ms, lost ${answers.lost}`);
    const apiCreates = options.quick ? 200 : 500;
    started = Date.now();
    await createThroughApi(pod.apiserverUrl, "bench-api", apiCreates);
    const apiCreatesPerSecond = apiCreates / ((Date.now() - started) / 1000);
    progress(`the API server created ${apiCreates} services at ${apiCreatesPerSecond.toFixed(0)}/s`);
    const restartSeconds: Partial<Record<Container, number>> = {};
    let wrongAnswers = 0;
    for (const container of options.restarts ? (["skydns", "kube2sky", "dev-apiserver", "etcd"] as const) : []) {
      restartSeconds[container] = await pod.kill(container, { timeoutMs: 30 * 60_000 });
      const check = await sweep(pod.dnsIp, 53, expected);
      wrongAnswers += check.mismatches.length;
      progress(`${container} ready again after ${restartSeconds[container]!.toFixed(1)} s; ${check.mismatches.length} wrong answers`);
    }
    return {
      services: size, headless, endpointsPerHeadless: ENDPOINTS_PER_HEADLESS, seedSeconds, firstSyncSeconds, recordsManaged,
      writeRatePerSecond: recordsManaged / firstSyncSeconds, skydnsLoadSeconds: load.seconds, skydnsIndexRecords: load.records,
      skydnsLoadedMemory: load.memory, apiCreates, apiCreatesPerSecond, answers, memory, restartSeconds, wrongAnswers, kube2skyElections, kube2skyFencedTxns,
    };
  } finally {
    await stop();
  }
}

// A busy kube2sky may not answer its /metrics in time: the number is then NaN, and the run goes on.
async function kube2skyMetric(pod: PodUnderTest, name: string): Promise<number> {
  return (await pod.kube2skyMetric(name).catch(() => undefined)) ?? Number.NaN;
}

// Starts one more skydns (built) on the pod's etcd and times it from spawn to ready: a load of the whole index.
async function loadSecondSkydns(etcdUrl: string): Promise<{ seconds: number; records: number; memory: Memory }> {
  const [port, metricsPort] = [await freePort("127.0.0.1"), await freePort("127.0.0.1")];
  const metrics = `http://127.0.0.1:${metricsPort}`;
  const started = performance.now();
  const skydns = spawnOwned("node", [SKYDNS_MAIN, "--addr", `127.0.0.1:${port}`, "--machines", etcdUrl, "--no-rec", "--metrics-addr", `127.0.0.1:${metricsPort}`, "--log-level", "warn"]);
  try {
    await eventually(async () => ((await fetch(`${metrics}/ready`)).ok ? true : undefined), { what: "the second skydns ready", timeoutMs: 10 * 60_000, intervalMs: 20 });
    const seconds = (performance.now() - started) / 1000;
    return { seconds, records: await metricValue(`${metrics}/metrics`, "kubedns_skydns_index_records"), memory: memoryOf(skydns.pid) };
  } finally {
    await skydns.stop();
  }
}

// A short dnsperf run at 5,000 q/s over random existing names, every query's latency read.
async function answerLatency(pod: PodUnderTest, list: ReturnType<typeof benchServices>, seconds: number): Promise<DnsperfStats> {
  const file = join(tmpdir(), `kube-dns-bench-answers-${process.pid}`);
  const lines = Array.from({ length: 10_000 }, (_, i) => list[(i * 7919) % list.length]!).map((s) => `${s.name}.${s.namespace}.svc.cluster.local A`);
  writeFileSync(file, `${lines.join("\n")}\n`);
  try {
    return await runDnsperf({ host: pod.dnsIp, port: 53, queryFile: file, seconds, qps: 5000, edns: false, perQuery: true });
  } finally {
    rmSync(file, { force: true });
  }
}

function headlessIp(service: number, endpoint: number): string {
  const n = service * ENDPOINTS_PER_HEADLESS + endpoint;
  return `10.${128 + (n >> 16)}.${(n >> 8) & 255}.${n & 255}`;
}

function headlessExpected(count: number): Expected[] {
  return Array.from({ length: count }, (_, i) => ({
    name: `hl-${i}.bench-hl-${i % 10}.svc.cluster.local`, type: "A", rcode: "NOERROR",
    data: Array.from({ length: ENDPOINTS_PER_HEADLESS }, (_, e) => headlessIp(i, e)).sort(),
  }));
}

// Headless services and one EndpointSlice each, as the API server stores them (not the dev API server's own slices).
function headlessObjects(count: number): KubeObject[] {
  return Array.from({ length: count }, (_, i): KubeObject[] => {
    const [name, namespace] = [`hl-${i}`, `bench-hl-${i % 10}`];
    return [
      { apiVersion: "v1", kind: "Service", metadata: { name, namespace }, spec: { clusterIP: "None", clusterIPs: ["None"], type: "ClusterIP", ports: [{ name: "http", port: 80, protocol: "TCP", targetPort: 80 }] }, status: { loadBalancer: {} } },
      {
        apiVersion: "discovery.k8s.io/v1", kind: "EndpointSlice",
        metadata: { name: `${name}-bench`, namespace, labels: { "kubernetes.io/service-name": name, "endpointslice.kubernetes.io/managed-by": "bench.kube-dns.test" } },
        addressType: "IPv4",
        endpoints: Array.from({ length: ENDPOINTS_PER_HEADLESS }, (_, e) => ({ addresses: [headlessIp(i, e)], conditions: { ready: true, serving: true, terminating: false } })),
        ports: [{ name: "http", port: 80, protocol: "TCP" }],
      },
    ];
  }).flat();
}
