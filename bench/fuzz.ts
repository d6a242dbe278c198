// bench/fuzz.ts: a million fuzzed messages and more against skydns, over UDP, with a valid probe every 1,000, then
// every kind of lying TCP connection. Not part of the test suite (packages/skydns/test/fuzz.test.ts runs a seeded
// sample of the same corpus). Run from the repository root:
//
//   node --conditions=source --import tsx bench/fuzz.ts                  # CASES=1000000 SEED=<today>
//   CASES=3000000 SEED=42 node --conditions=source --import tsx bench/fuzz.ts
//
// skydns runs as its own process (the built program when built, else its sources) over a real etcd; the run records
// its RSS before and after, and checks it is still alive and answering. Writes bench/results/fuzz-<date>.md.
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { freePort, startEtcd } from "@kube-dns/etcd-process";
import dnsPacket from "dns-packet";
import { Etcd3 } from "etcd3";
import { clusterIpService, headlessService, putAll } from "../packages/skydns/test/fixture.js";
import { fuzzUdp, tcpLie, type TcpLie } from "../packages/skydns/test/fuzz/run.js";

const CASES = Number(process.env["CASES"] ?? 1_000_000);
const SEED = Number(process.env["SEED"] ?? Number(new Date().toISOString().slice(0, 10).replaceAll("-", "")));
const BUILT = "packages/skydns/dist/main.js";

function log(text: string): void {
  process.stderr.write(`[fuzz] ${text}\n`);
}

function rssMb(pid: number): number {
  const kb = Number(/^VmRSS:\s+(\d+)/m.exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1] ?? Number.NaN);
  return kb / 1024;
}

async function waitReady(url: string, child: ChildProcess): Promise<void> {
  for (let i = 0; i < 300; i++) {
    if (child.exitCode !== null) throw new Error(`skydns exited (${child.exitCode}) before it was ready`);
    try {
      if ((await fetch(url)).status === 200) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error("skydns was not ready within 30 s");
}

const etcd = await startEtcd();
const client = new Etcd3({ hosts: etcd.clientUrl });
let skydns: ChildProcess | undefined;
try {
  await putAll(client, [
    ...clusterIpService("default", "kubernetes", "10.0.0.1", { https: 443 }),
    ...headlessService("default", "big", Array.from({ length: 60 }, (_, i) => ({ ip: `10.244.0.${i + 1}` })), { http: 80 }),
  ]);
  const [dnsPort, metricsPort] = [await freePort(), await freePort()];
  const entry = existsSync(BUILT) ? [BUILT] : ["--conditions=source", "--import", "tsx", "packages/skydns/src/main.ts"];
  skydns = spawn(process.execPath, [...entry, "--addr", `127.0.0.1:${dnsPort}`, "--machines", etcd.clientUrl, "--no-rec", "--metrics-addr", `127.0.0.1:${metricsPort}`, "--log-level", "warn"], { stdio: ["ignore", "ignore", "inherit"] });
  await waitReady(`http://127.0.0.1:${metricsPort}/ready`, skydns);
  const pid = skydns.pid!;
  const rssBefore = rssMb(pid);
  log(`${CASES} cases, seed ${SEED}, against skydns ${entry.join(" ")} (pid ${pid}, ${rssBefore.toFixed(0)} MiB)`);
  const report = await fuzzUdp("127.0.0.1", dnsPort, SEED, CASES, { name: "kubernetes.default.svc.cluster.local", address: "10.0.0.1" }, 1000);
  const rssAfterUdp = rssMb(pid);
  log(`UDP: ${report.cases} cases in ${report.seconds.toFixed(0)} s, ${report.violations.length} violations, probes ${report.probesRight}/${report.probes}`);
  const lies: TcpLie[] = ["longer", "shorter", "zero", "65535", "half-open", "slow", "pipelined"];
  const query = dnsPacket.encode({ id: 9, questions: [{ name: "kubernetes.default.svc.cluster.local", type: "A" }] });
  let tcpConnections = 0;
  for (let round = 0; round < 20; round++) {
    await Promise.all(lies.flatMap((lie) => Array.from({ length: 20 }, () => tcpLie("127.0.0.1", dnsPort, lie, query, 50))));
    tcpConnections += lies.length * 20;
  }
  const honest = await tcpLie("127.0.0.1", dnsPort, "pipelined", query);
  const alive = skydns.exitCode === null && honest === 20;
  const rssAfter = rssMb(pid);
  const date = new Date().toISOString();
  const text = `# skydns fuzz run, ${date.slice(0, 16)}Z

Seed ${SEED}: ${report.cases.toLocaleString("en")} UDP messages (${Object.keys(report.kinds).length} kinds of damage, evenly) in
${report.seconds.toFixed(0)} s, 32 in flight, with the probe \`kubernetes.default.svc.cluster.local A\` every 1,000; then
${tcpConnections.toLocaleString("en")} TCP connections that lie (${lies.join(", ")}). skydns: \`${entry.join(" ")}\`, \`--no-rec\`.

| result | value |
|---|---|
| messages answered / dropped (as they must be) | ${report.replied.toLocaleString("en")} / ${report.dropped.toLocaleString("en")} |
| rcodes of the answers | ${Object.entries(report.rcodes).map(([rcode, n]) => `${rcode}: ${n.toLocaleString("en")}`).join(", ")} |
| violations (no reply, wrong ID, too large, a failure rcode, a reply to a dropped message) | ${report.violations.length} |
| probes answered right | ${report.probesRight} of ${report.probes} |
| skydns alive and answering pipelined TCP afterwards | ${alive ? "yes" : "NO"} |
| skydns RSS before / after UDP / after TCP (MiB) | ${rssBefore.toFixed(0)} / ${rssAfterUdp.toFixed(0)} / ${rssAfter.toFixed(0)} |
${report.violations.length > 0 ? `\nFirst violations:\n\n${report.violations.slice(0, 10).map((v) => `- ${v}`).join("\n")}\n` : ""}`;
  const file = `bench/results/fuzz-${date.slice(0, 10)}.md`;
  writeFileSync(file, text);
  process.stdout.write(text);
  log(`written to ${file}`);
  if (report.violations.length > 0 || !alive || report.probesRight !== report.probes) process.exitCode = 1;
} finally {
  skydns?.kill("SIGTERM");
  client.close();
  await etcd.stop();
}
