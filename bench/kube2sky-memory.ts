/**
 * kube2sky-memory: how much memory kube2sky needs per 1,000 services (or pods), and how long its first sync takes. Not
 * a test; run it by hand from the repository root:
 *
 *   node --conditions=source --import tsx bench/kube2sky-memory.ts [COUNT ...]   # 10000 50000 by default
 *   OBJECTS=pods node --conditions=source --import tsx bench/kube2sky-memory.ts 10000 50000   # running pods instead
 *
 * It runs src/main.ts through tsx, whose loader alone adds about 80 MiB. With KUBE2SKY_MAIN=packages/kube2sky/dist/main.js
 * (after `pnpm --filter @kube-dns/kube2sky build`) it runs the built program with plain node, as the image does;
 * KUBE2SKY_NODE_FLAGS adds node flags to kube2sky's command line, e.g. `--max-old-space-size=256`.
 *
 * For each COUNT it starts two etcds and a dev API server, writes COUNT services (one named port each) and their
 * EndpointSlices (with OBJECTS=pods: COUNT running pods, each with its own IP) straight into the API server's etcd,
 * then runs the real program twice against an empty pod etcd:
 * a first start, which writes every record, and a restart, which finds them all written. Each run reports the time
 * from spawn to "first sync done; ready", VmRSS (a few seconds after ready) and VmHWM (the peak) from /proc, the
 * heap still in use after a full garbage collection (a probe loaded with --import reports it), and the list
 * requests a proxy in front of the API server saw.
 *
 * HEADLESS=N adds N headless services of ENDPOINTS (10) ready endpoints each, one named port, to every count (the
 * cluster-scale mix: `HEADLESS=5000 ... 10000`); the table then also gives the keys kube2sky wrote. ETCD_FLAGS adds
 * flags to the pod etcd's command line (e.g. `--max-txn-ops=1000`), KUBE2SKY_FLAGS to kube2sky's.
 * SKYDNS_MAIN=packages/skydns/dist/main.js then also starts skydns against the records kube2sky wrote and times its
 * load: spawn to /ready (its whole first read of /skydns), with its CPU seconds.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { createInterface } from "node:readline";
import { startDevApiServer } from "@kube-dns/dev-apiserver";
import { freePort, startEtcd, terminate } from "@kube-dns/etcd-process";
import { startApiProxy } from "../packages/kube2sky/test/api-proxy.js";
import { writePods, writeServices } from "../packages/kube2sky/test/bulk.js";

const BUILT = process.env["KUBE2SKY_MAIN"];
const OBJECTS = process.env["OBJECTS"] === "pods" ? "pods" : "services";
const MAIN = BUILT === undefined ? ["--conditions=source", "--import", "tsx", "packages/kube2sky/src/main.ts"] : [BUILT];
const NODE_FLAGS = (process.env["KUBE2SKY_NODE_FLAGS"] ?? "").split(" ").filter((flag) => flag !== "");
const ROOT = new URL("../", import.meta.url).pathname;
const HEADLESS = Number(process.env["HEADLESS"] ?? 0);
const ENDPOINTS = Number(process.env["ENDPOINTS"] ?? 10);
const ETCD_FLAGS = (process.env["ETCD_FLAGS"] ?? "").split(" ").filter((flag) => flag !== "");
const KUBE2SKY_FLAGS = (process.env["KUBE2SKY_FLAGS"] ?? "").split(" ").filter((flag) => flag !== "");
const SKYDNS_MAIN = process.env["SKYDNS_MAIN"];
const SETTLE_MS = Number(process.env["SETTLE_MS"] ?? 5_000);
const MIB = 1024 * 1024;
const HEAP_LINE = "memory-bench heapUsed ";
// Loaded into kube2sky with --import: on SIGUSR2 it collects garbage and reports the heap still in use.
const HEAP_PROBE = `process.on("SIGUSR2", () => { globalThis.gc(); process.stderr.write("${HEAP_LINE}" + process.memoryUsage().heapUsed + "\\n"); });`;

interface Run {
  readonly readySeconds: number;
  readonly rssMiB: number;
  readonly hwmMiB: number;
  /** The heap in use after a full garbage collection: what kube2sky holds, without garbage or headroom. */
  readonly heapMiB: number;
  readonly listRequests: number;
  /** The keys in the pod's etcd after the run. */
  readonly keys: number;
  /** CPU time (user + system) from spawn to ready of kube2sky, and of the pod's etcd meanwhile: load on a shared machine stretches wall time, not these. */
  readonly kube2skyCpuSeconds: number;
  readonly etcdCpuSeconds: number;
}

const counts = process.argv.slice(2).map(Number);
const rows: Array<{ count: number; first: Run; restart: Run }> = [];
for (const count of counts.length > 0 ? counts : [10_000, 50_000]) rows.push({ count, ...(await measure(count)) });

const mix = HEADLESS > 0 ? ` (+ ${HEADLESS} headless x ${ENDPOINTS})` : "";
console.log(`\n| ${OBJECTS}${mix} | run | first sync (s) | VmRSS (MiB) | VmHWM (MiB) | heap after GC (MiB) | list requests | keys | kube2sky CPU (s) | etcd CPU (s) |\n|---|---|---|---|---|---|---|---|---|---|`);
for (const { count, first, restart } of rows) {
  for (const [name, run] of [["first start", first], ["restart", restart]] as const) {
    console.log(`| ${count} | ${name} | ${run.readySeconds.toFixed(2)} | ${run.rssMiB.toFixed(0)} | ${run.hwmMiB.toFixed(0)} | ${run.heapMiB.toFixed(1)} | ${run.listRequests} | ${run.keys} | ${run.kube2skyCpuSeconds.toFixed(2)} | ${run.etcdCpuSeconds.toFixed(2)} |`);
  }
}
const [low, high] = [rows[0], rows[rows.length - 1]];
if (low !== undefined && high !== undefined && high.count > low.count) {
  const per = (pick: (r: (typeof rows)[number]) => number, digits = 1): string => (((pick(high) - pick(low)) / (high.count - low.count)) * 1000).toFixed(digits);
  console.log(`\nper 1,000 ${OBJECTS} (slope ${low.count} -> ${high.count}): VmRSS ${per((r) => r.first.rssMiB)} MiB, VmHWM ${per((r) => r.first.hwmMiB)} MiB,` +
    ` heap after GC ${per((r) => r.first.heapMiB, 2)} MiB; after a restart VmRSS ${per((r) => r.restart.rssMiB)} MiB,` +
    ` VmHWM ${per((r) => r.restart.hwmMiB)} MiB, heap after GC ${per((r) => r.restart.heapMiB, 2)} MiB`);
}

async function measure(count: number): Promise<{ first: Run; restart: Run }> {
  const [apiEtcd, dnsEtcd] = await Promise.all([startEtcd(), startEtcd({ flags: ETCD_FLAGS })]);
  const api = await startDevApiServer({ etcdUrl: apiEtcd.clientUrl, logLevel: "silent" });
  const proxy = await startApiProxy(api.url);
  try {
    const started = performance.now();
    if (OBJECTS === "pods") await writePods(apiEtcd.clientUrl, count, "bench");
    else await writeServices(apiEtcd.clientUrl, count, { namespace: "bench", slices: true });
    if (HEADLESS > 0) await writeServices(apiEtcd.clientUrl, HEADLESS, { namespace: "bench", from: count, headlessEndpoints: ENDPOINTS });
    console.error(`${count}: wrote ${count} ${OBJECTS} in ${((performance.now() - started) / 1000).toFixed(1)} s`);
    await sleep(2_000); // the dev API server's controllers see every write; let them settle
    const run = async (name: string): Promise<Run> => {
      const before = proxy.requests.length;
      const etcdBefore = cpuSeconds(dnsEtcd.pid);
      const result = await runOnce([`--kube-master-url=${proxy.url}`, `--etcd-server=${dnsEtcd.clientUrl}`, ...KUBE2SKY_FLAGS], () => cpuSeconds(dnsEtcd.pid) - etcdBefore);
      const listRequests = proxy.requests.slice(before).filter((r) => !r.includes("watch=true")).length;
      const keys = await keyCount(dnsEtcd.clientUrl);
      console.error(`${count}: ${name}: ready in ${result.readySeconds.toFixed(2)} s, VmRSS ${result.rssMiB.toFixed(0)} MiB, VmHWM ${result.hwmMiB.toFixed(0)} MiB, heap ${result.heapMiB.toFixed(1)} MiB, ${listRequests} list requests, ${keys} keys, CPU kube2sky ${result.kube2skyCpuSeconds.toFixed(2)} s, etcd ${result.etcdCpuSeconds.toFixed(2)} s`);
      return { ...result, listRequests, keys };
    };
    const runs = { first: await run("first start"), restart: await run("restart") };
    if (SKYDNS_MAIN !== undefined) {
      for (let i = 1; i <= 2; i++) {
        const load = await skydnsLoad(SKYDNS_MAIN, dnsEtcd.clientUrl);
        console.error(`${count}: skydns load ${i}: ready in ${load.seconds.toFixed(2)} s, CPU ${load.cpuSeconds.toFixed(2)} s`);
      }
    }
    return runs;
  } finally {
    await proxy.stop();
    await api.stop();
    await Promise.all([apiEtcd.stop(), dnsEtcd.stop()]);
  }
}

// skydnsLoad starts skydns on loopback against etcdUrl and polls its /ready until it has read all of /skydns.
async function skydnsLoad(main: string, etcdUrl: string): Promise<{ seconds: number; cpuSeconds: number }> {
  const [dnsPort, httpPort] = [await freePort("127.0.0.1"), await freePort("127.0.0.1")];
  const started = performance.now();
  const args = [main, `--addr=127.0.0.1:${dnsPort}`, `--metrics-addr=127.0.0.1:${httpPort}`, `--machines=${etcdUrl}`];
  const child = spawn(process.execPath, args, { cwd: ROOT, stdio: ["ignore", "ignore", "inherit"] });
  try {
    for (let i = 0; i < 6000; i++) {
      const ok = await fetch(`http://127.0.0.1:${httpPort}/ready`).then((r) => r.ok, () => false);
      if (ok) return { seconds: (performance.now() - started) / 1000, cpuSeconds: cpuSeconds(child.pid ?? 0) };
      await sleep(20);
    }
    throw new Error("skydns was not ready within 2 minutes");
  } finally {
    await terminate(child);
  }
}

// keyCount asks etcd's JSON gateway how many keys it holds (a count-only range over every key).
async function keyCount(clientUrl: string): Promise<number> {
  const body = JSON.stringify({ key: Buffer.from("\0").toString("base64"), range_end: Buffer.from("\0").toString("base64"), count_only: true });
  const response = await fetch(`${clientUrl}/v3/kv/range`, { method: "POST", body });
  return Number(((await response.json()) as { count?: string }).count ?? 0);
}

async function runOnce(args: string[], etcdCpu: () => number): Promise<Omit<Run, "listRequests" | "keys">> {
  const healthzPort = await freePort("127.0.0.1");
  const started = performance.now();
  const argv = [...NODE_FLAGS, "--expose-gc", "--import", `data:text/javascript,${encodeURIComponent(HEAP_PROBE)}`, ...MAIN, ...args];
  const child = spawn(process.execPath, [...argv, `--healthz-port=${healthzPort}`, "--log-level=info"], { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"] });
  try {
    await ready(child);
    const readySeconds = (performance.now() - started) / 1000;
    const [kube2skyCpuSeconds, etcdCpuSeconds] = [cpuSeconds(child.pid ?? 0), etcdCpu()];
    await sleep(SETTLE_MS);
    const status = readFileSync(`/proc/${child.pid}/status`, "utf8");
    const heap = probeHeap(child);
    child.kill("SIGUSR2");
    return { readySeconds, kube2skyCpuSeconds, etcdCpuSeconds, rssMiB: kib(status, "VmRSS") / 1024, hwmMiB: kib(status, "VmHWM") / 1024, heapMiB: (await heap) / MIB };
  } finally {
    await terminate(child);
  }
}

// probeHeap resolves with the heap in use that the probe reports on stderr after a full collection.
function probeHeap(child: ChildProcess): Promise<number> {
  return new Promise((resolve) => {
    createInterface({ input: child.stderr as NodeJS.ReadableStream }).on("line", (line) => {
      if (line.startsWith(HEAP_LINE)) resolve(Number(line.slice(HEAP_LINE.length)));
    });
  });
}

function ready(child: ChildProcess): Promise<void> {
  return new Promise((resolve, reject) => {
    createInterface({ input: child.stdout as NodeJS.ReadableStream }).on("line", (line) => {
      if (line.includes("first sync done; ready")) resolve();
    });
    child.once("exit", (code) => reject(new Error(`kube2sky exited with ${code} before it was ready`)));
  });
}

// cpuSeconds reads a process's user and system time from /proc/PID/stat (fields 14 and 15, in clock ticks of 1/100 s).
function cpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

function kib(status: string, field: string): number {
  return Number(new RegExp(`^${field}:\\s+(\\d+) kB`, "m").exec(status)?.[1] ?? NaN);
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
