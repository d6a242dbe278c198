// bench/skydns-memory.ts: skydns's load time and memory at cluster sizes, one built checkout against another.
// Not part of the test suite. Run from the repository root after `pnpm -r build` (and in each other checkout):
//
//   node --conditions=source --import tsx bench/skydns-memory.ts
//   SERVICES="10000 50000" HEADLESS=5000 CHECKOUTS=". ../other-checkout" node --conditions=source --import tsx bench/skydns-memory.ts
//   NODE_FLAGS="--max-semi-space-size=1" HEAP_SNAPSHOT=1 ...   # node flags for skydns; a heap snapshot once loaded
//
// For each size: a fresh etcd with SERVICES ClusterIP services (A, one SRV port, PTR, as kube2sky writes them) and
// HEADLESS headless services of 10 endpoints each (A and SRV per endpoint), then each checkout's dist/main.js started
// on it: seconds from spawn to /ready, then VmRSS and VmHWM once settled (2 s), and the V8 heap used. Everything is
// on loopback. Prints one Markdown row per checkout and size.
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { freePort, startEtcd, terminate } from "@kube-dns/etcd-process";
import { Etcd3 } from "etcd3";
import { clusterIpService, headlessService, putAll } from "../packages/skydns/test/fixture.js";

const SIZES = (process.env["SERVICES"] ?? "10000 50000").split(/\s+/).filter(Boolean).map(Number);
const HEADLESS = Number(process.env["HEADLESS"] ?? "0");
const CHECKOUTS = (process.env["CHECKOUTS"] ?? ".").split(/\s+/).filter(Boolean).map((dir) => resolve(dir));
const NODE_FLAGS = (process.env["NODE_FLAGS"] ?? "").split(/\s+/).filter(Boolean);
const ENDPOINTS = 10;

const ip = (n: number): string => `10.${(n >> 16) & 255}.${(n >> 8) & 255}.${n & 255}`;

function records(services: number, headless: number): ReturnType<typeof clusterIpService> {
  const all: ReturnType<typeof clusterIpService> = [];
  for (let i = 0; i < services; i++) all.push(...clusterIpService(`ns-${i % 100}`, `svc-${i}`, ip(256 + i), { http: 80 }));
  for (let i = 0; i < headless; i++) {
    const endpoints = Array.from({ length: ENDPOINTS }, (_, e) => ({ ip: ip((1 << 20) + i * ENDPOINTS + e), hostname: `pod-${e}` }));
    all.push(...headlessService(`ns-${i % 100}`, `headless-${i}`, endpoints, { http: 80 }));
  }
  return all;
}

const memoryKiB = (pid: number, field: string): number => Number(new RegExp(`${field}:\\s+(\\d+)`).exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1] ?? 0);

async function metric(port: number, name: string): Promise<number> {
  const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
  return Number(new RegExp(`^${name} (\\S+)$`, "m").exec(text)?.[1] ?? NaN);
}

async function measure(checkout: string, etcdUrl: string): Promise<string> {
  const [dnsPort, metricsPort] = [await freePort(), await freePort()];
  const scratch = mkdtempSync(join(tmpdir(), "skydns-memory-"));
  const args = [...NODE_FLAGS, "--heapsnapshot-signal=SIGUSR2", join(checkout, "packages/skydns/dist/main.js"), "--addr", `127.0.0.1:${dnsPort}`,
    "--machines", etcdUrl, "--no-rec", "--metrics-addr", `127.0.0.1:${metricsPort}`, "--log-level", "warn"];
  const started = performance.now();
  const child: ChildProcess = spawn(process.execPath, args, { cwd: scratch, stdio: ["ignore", "ignore", "inherit"] });
  try {
    for (let i = 0; i < 6000; i++) {
      const ok = await fetch(`http://127.0.0.1:${metricsPort}/ready`).then((r) => r.status === 200, () => false);
      if (ok) break;
      await new Promise((done) => setTimeout(done, 10));
    }
    const loadSeconds = (performance.now() - started) / 1000;
    await new Promise((done) => setTimeout(done, 2000));
    const pid = child.pid!;
    const [rss, hwm] = [memoryKiB(pid, "VmRSS") / 1024, memoryKiB(pid, "VmHWM") / 1024];
    const heap = (await metric(metricsPort, "nodejs_heap_size_used_bytes")) / 2 ** 20;
    const records = await metric(metricsPort, "kubedns_skydns_index_records");
    if (process.env["HEAP_SNAPSHOT"] === "1") {
      child.kill("SIGUSR2");
      await new Promise((done) => setTimeout(done, 15_000));
      process.stderr.write(`heap snapshot in ${scratch}\n`);
    }
    return `| ${checkout} | ${records} | ${loadSeconds.toFixed(2)} | ${rss.toFixed(0)} | ${hwm.toFixed(0)} | ${heap.toFixed(0)} |`;
  } finally {
    await terminate(child);
  }
}

console.log(`node flags for skydns: ${NODE_FLAGS.join(" ") || "none"}; ${HEADLESS} headless services of ${ENDPOINTS} endpoints\n`);
console.log("| checkout | records | start -> ready s | VmRSS MB | VmHWM MB | heap used MB |");
console.log("|---|---|---|---|---|---|");
for (const size of SIZES) {
  const etcd = await startEtcd();
  try {
    const client = new Etcd3({ hosts: etcd.clientUrl });
    await putAll(client, records(size, HEADLESS));
    client.close();
    console.log(`| **${size} services** | | | | | |`);
    for (const checkout of CHECKOUTS) console.log(await measure(checkout, etcd.clientUrl));
  } finally {
    await etcd.stop();
  }
}
