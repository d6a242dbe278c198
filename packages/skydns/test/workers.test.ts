import { execFileSync } from "node:child_process";
import { freePort, startEtcd, terminate, type EtcdServer } from "@kube-dns/etcd-process";
import dnsPacket from "dns-packet";
import { Etcd3 } from "etcd3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { clusterIpService, putAll } from "./fixture.js";
import { askTcp, probe, query, startSkyDNSProcess, type Check, type SkyDNSProcess } from "./flood.js";

/** How long (in 100 ms polls) the workers get to load, or a killed one to be replaced: tsx compiles at each start. */
const POLLS = 600;

let etcd: EtcdServer;
let port: number;
let metricsPort: number;
let skydns: SkyDNSProcess;

const answersWeb: Check = (reply) => reply.answers?.length === 1 && reply.answers[0]?.type === "A" && reply.answers[0].data === "10.0.0.5";

// The pids of the primary's workers: its node children (tsx keeps an esbuild child beside them).
function workerPids(): number[] {
  try {
    return execFileSync("pgrep", ["-x", "-P", String(skydns.child.pid), "node"], { encoding: "utf8" }).split("\n").filter((pid) => pid !== "").map(Number);
  } catch {
    return []; // pgrep exits 1 when there are none
  }
}

async function waitUntil(what: string, ok: () => Promise<boolean>): Promise<void> {
  for (let i = 0; i < POLLS; i++) {
    if (await ok().catch(() => false)) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`gave up waiting for ${what}`);
}

const ready = async (): Promise<boolean> => (await fetch(`http://127.0.0.1:${metricsPort}/ready`)).status === 200;

beforeAll(async () => {
  etcd = await startEtcd();
  const client = new Etcd3({ hosts: etcd.clientUrl });
  await putAll(client, clusterIpService("default", "web", "10.0.0.5"));
  client.close();
  [port, metricsPort] = [await freePort(), await freePort()];
  skydns = startSkyDNSProcess(["--addr", `127.0.0.1:${port}`, "--machines", etcd.clientUrl, "--no-rec", "--workers", "2"], metricsPort);
  await waitUntil("both workers to load", ready);
}, 90_000);
afterAll(async () => {
  if (skydns !== undefined) await terminate(skydns.child, 10_000);
  await etcd?.stop();
});

describe("skydns --workers 2", () => {
  it("answers over TCP from both workers and over UDP, and /metrics sums what each counted", async () => {
    expect(workerPids()).toHaveLength(2);
    // The primary deals TCP connections out in turn, so four connections reach both workers; each prepares its own
    // reply for the name, and the primary's /metrics shows the sum of both.
    for (let i = 0; i < 4; i++) {
      const reply = await askTcp(port, query("web.default.svc.cluster.local", i + 1));
      expect(reply !== undefined && answersWeb(dnsPacket.decode(reply))).toBe(true);
    }
    expect(await skydns.metric("kubedns_skydns_prepared_entries")).toBe(2);
    const udp = await probe(port, "udp", "web.default.svc.cluster.local", answersWeb, new Promise(() => undefined), 0, 50);
    expect(udp).toMatchObject({ right: 50, total: 50 });
    expect(await skydns.metric("coredns_dns_requests_total", 'proto="tcp"')).toBe(4);
    expect(await skydns.metric("coredns_dns_requests_total", 'proto="udp"')).toBe(50);
    expect(await skydns.metric("coredns_dns_request_duration_seconds_count")).toBe(54);
    // A gauge every worker holds alike is shown once, not summed.
    expect(await skydns.metric("kubedns_skydns_watch_state", 'state="watching"')).toBe(1);
  });

  it("starts a worker again when one dies, and SIGTERM stops them all", async () => {
    const [victim] = workerPids();
    process.kill(victim!, "SIGKILL");
    await waitUntil("a new worker", async () => !workerPids().includes(victim!) && workerPids().length === 2 && (await ready()));
    const udp = await probe(port, "udp", "web.default.svc.cluster.local", answersWeb, new Promise(() => undefined), 0, 20);
    expect(udp.right).toBe(20);
    const workers = workerPids();
    const exited = new Promise((resolve) => skydns.child.once("exit", resolve));
    skydns.child.kill("SIGTERM");
    expect(await exited).toBe(0);
    for (const pid of workers) expect(() => process.kill(pid, 0)).toThrow();
  });
});
