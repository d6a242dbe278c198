import { type Socket } from "node:net";
import dnsPacket from "dns-packet";
import { freePort, startEtcd, type EtcdServer } from "@kube-dns/etcd-process";
import { Etcd3 } from "etcd3";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { clusterIpService, putAll } from "./fixture.js";
import { askTcp, type Check, openTcp, p99, probe, query, RssSampler, type SkyDNSProcess, startSkyDNSProcess, udpFlood } from "./flood.js";
import { startSwitchableUpstream, type SwitchableUpstream } from "./upstreams.js";

// Floods on loopback, each bounded in time (a few seconds) and count, against skydns as a child process so that its
// RSS is its own. Assertions are on answers and bounds, never on speed: the machine may be busy with other tests.
const FLOOD_MS = 3000;
const TCP_CAP = 1000;
const FORWARD_CAP = 100;
/** What skydns may grow by under any flood here, RSS peak over before: generous, for GC slack on a loaded machine. */
const RSS_GROWTH_BOUND_MIB = 200;
const NAME = "kubernetes.default.svc.cluster.local";
const addressOf = (reply: dnsPacket.DecodedPacket): string | undefined => {
  const first = reply.answers?.[0];
  return first?.type === "A" ? first.data : undefined;
};
// dns-packet decodes the rcode into the flags' low bits; its type has no rcode field.
const right: Check = (reply) => ((reply.flags ?? 0) & 0xf) === 0 && addressOf(reply) === "10.0.0.1";

interface Row {
  scenario: string;
  sent: number;
  probes: string;
  p99Ms: string;
  rss: string;
}

let etcd: EtcdServer;
let upstream: SwitchableUpstream;
let skydns: SkyDNSProcess;
let port: number;
const rows: Row[] = [];

beforeAll(async () => {
  etcd = await startEtcd();
  const client = new Etcd3({ hosts: etcd.clientUrl });
  await putAll(client, clusterIpService("default", "kubernetes", "10.0.0.1"));
  client.close();
  upstream = await startSwitchableUpstream();
  port = await freePort();
  skydns = startSkyDNSProcess([
    "--addr", `127.0.0.1:${port}`, "--machines", etcd.clientUrl, "--nameservers", upstream.address, "--rtimeout", "1s",
    "--forward-max-concurrent", String(FORWARD_CAP), "--tcp-max-connections", String(TCP_CAP), "--rcache", "0",
  ], await freePort());
  await vi.waitFor(async () => {
    const reply = await askTcp(port, query(NAME, 1));
    expect(reply !== undefined && right(dnsPacket.decode(reply))).toBe(true);
  }, { timeout: 30_000, interval: 200 });
});

afterAll(async () => {
  console.log(`\nskydns under flood (RSS MiB before/peak/after)\n${table(rows)}`);
  await skydns?.stop();
  await Promise.all([upstream?.stop(), etcd?.stop()]);
});

function table(all: readonly Row[]): string {
  const head: Row = { scenario: "scenario", sent: 0, probes: "probes right/total", p99Ms: "probe p99 ms", rss: "RSS before/peak/after" };
  return [head, ...all].map((r, i) => [r.scenario.padEnd(34), (i === 0 ? "sent" : String(r.sent)).padStart(9), r.probes.padStart(19), r.p99Ms.padStart(13), r.rss.padStart(22)].join("  ")).join("\n");
}

// The server's answers after a flood: the next 20 probes, over UDP and TCP, all right.
async function expectRecovered(): Promise<void> {
  for (const proto of ["udp", "tcp"] as const) {
    const after = await probe(port, proto, NAME, right, new Promise(() => {}), 10, 20);
    expect(after).toMatchObject({ right: 20, total: 20 });
  }
}

function row(scenario: string, sent: number, probed: { right: number; total: number; latenciesMs: number[] }, before: number, peak: number, after: number): void {
  rows.push({ scenario, sent, probes: `${probed.right}/${probed.total}`, p99Ms: p99(probed.latenciesMs).toFixed(1), rss: `${before.toFixed(0)}/${peak.toFixed(0)}/${after.toFixed(0)}` });
}

describe("skydns under flood", () => {
  it("answers valid UDP queries right through a full-speed UDP flood, with bounded memory, and at once after", async () => {
    const packets = [query(NAME), ...Array.from({ length: 5000 }, (_, i) => query(`x${i}.default.svc.cluster.local`)), query("garbage").subarray(0, 9)];
    const before = skydns.rssMiB();
    const sampler = new RssSampler(() => skydns.rssMiB());
    const flood = udpFlood(port, packets, FLOOD_MS);
    const probed = await probe(port, "udp", NAME, right, flood);
    const { sent, replies } = await flood;
    const peak = sampler.stop();
    await expectRecovered();
    row(`UDP flood, 4 sockets (${replies} replies)`, sent, probed, before, peak, skydns.rssMiB());
    // UDP may lose a probe in a kernel queue the flood fills; every answer that came must be right, and most came.
    expect(probed.total).toBeGreaterThan(0);
    expect(probed.right).toBeGreaterThanOrEqual(probed.total * 0.5);
    expect(peak - before).toBeLessThan(RSS_GROWTH_BOUND_MIB);
  });

  it("answers a new TCP client while idle, trickling and unread pipelining connections fill its table past the cap", async () => {
    const before = skydns.rssMiB();
    const sampler = new RssSampler(() => skydns.rssMiB());
    const flooders: Socket[] = [];
    let stopFlood!: () => void;
    const floodOver = new Promise<void>((resolve) => (stopFlood = resolve));
    const probing = probe(port, "tcp", NAME, right, floodOver);
    // Tricklers: a 65535-byte length, then one byte every 100 ms. Pipeliners: queries written, replies never read.
    const tricklers = await openTcp(port, 20);
    for (const socket of tricklers) socket.write(Buffer.from([0xff, 0xff]));
    const trickle = setInterval(() => tricklers.forEach((socket) => !socket.destroyed && socket.write(Buffer.from([0]))), 100);
    const pipeliners = await openTcp(port, 5);
    const framed = Buffer.concat(Array.from({ length: 100 }, () => Buffer.concat([Buffer.from([0, query(NAME).length]), query(NAME)])));
    let sent = 0;
    for (const socket of pipeliners) {
      socket.pause();
      // Until the kernel's buffers push back, at most 200 writes of 100 queries each.
      for (let i = 0; i < 200 && socket.write(framed); i++) sent += 100;
    }
    flooders.push(...tricklers, ...pipeliners, ...(await openTcp(port, 1500)));
    await new Promise((resolve) => setTimeout(resolve, FLOOD_MS));
    const open = await skydns.metric("kubedns_skydns_tcp_connections");
    const evicted = await skydns.metric("kubedns_skydns_tcp_closed_total", 'reason="evicted"');
    stopFlood();
    const probed = await probing;
    clearInterval(trickle);
    for (const socket of flooders) socket.destroy();
    const peak = sampler.stop();
    await vi.waitFor(async () => expect(await skydns.metric("kubedns_skydns_tcp_connections")).toBe(0), { timeout: 10_000, interval: 200 });
    await expectRecovered();
    row(`TCP: 1525 conns (cap ${TCP_CAP}), 20 slow, 5 unread`, sent + flooders.length, probed, before, peak, skydns.rssMiB());
    expect(open).toBeLessThanOrEqual(TCP_CAP);
    expect(evicted).toBeGreaterThanOrEqual(1525 - TCP_CAP);
    // Each probe is a new connection: at the cap it closes the idlest, so none is refused.
    expect(probed.total).toBeGreaterThan(0);
    expect(probed.right).toBe(probed.total);
    expect(peak - before).toBeLessThan(RSS_GROWTH_BOUND_MIB);
  });

  it("sheds forwarded queries past the cap while the upstream is dead, keeps answering the zone, and forwards again after", async () => {
    const packets = Array.from({ length: 20_000 }, (_, i) => query(`n${i}.flood.example.org`));
    const before = skydns.rssMiB();
    const sampler = new RssSampler(() => skydns.rssMiB());
    const rejectsBefore = await skydns.metric("coredns_forward_max_concurrent_rejects_total");
    const flood = udpFlood(port, packets, FLOOD_MS, 2, 16);
    let waitingPeak = 0;
    const watching = (async () => {
      for (let i = 0; i < 100 && !(await Promise.race([flood.then(() => true), new Promise((r) => setTimeout(() => r(false), 200))])); i++) {
        waitingPeak = Math.max(waitingPeak, await skydns.metric("kubedns_skydns_forward_waiting_queries"));
      }
    })();
    const probed = await probe(port, "udp", NAME, right, flood);
    const { sent, replies } = await flood;
    await watching;
    const rejects = (await skydns.metric("coredns_forward_max_concurrent_rejects_total")) - rejectsBefore;
    const peak = sampler.stop();
    upstream.answering = true;
    await vi.waitFor(async () => {
      const reply = await askTcp(port, query("after.flood.example.org", 7));
      expect(reply === undefined ? undefined : addressOf(dnsPacket.decode(reply))).toBe("198.51.100.7");
    }, { timeout: 10_000, interval: 250 });
    await vi.waitFor(async () => expect(await skydns.metric("kubedns_skydns_forward_waiting_queries")).toBe(0), { timeout: 10_000, interval: 200 });
    await expectRecovered();
    row(`forward flood, cap ${FORWARD_CAP} (${replies} replies)`, sent, probed, before, peak, skydns.rssMiB());
    expect(waitingPeak).toBeLessThanOrEqual(FORWARD_CAP);
    expect(rejects).toBeGreaterThan(0);
    expect(probed.right).toBeGreaterThanOrEqual(probed.total * 0.5);
    expect(peak - before).toBeLessThan(RSS_GROWTH_BOUND_MIB);
  });
});
