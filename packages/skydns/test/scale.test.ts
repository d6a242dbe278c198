import { createSocket } from "node:dgram";
import dnsPacket from "dns-packet";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { dig, rdata } from "./dig.js";
import { clusterIpService, putAll } from "./fixture.js";
import { startCluster, startOn, type Cluster } from "./harness.js";

let cluster: Cluster;

beforeAll(async () => {
  cluster = await startCluster();
  await cluster.skydns.ready();
});

afterAll(async () => {
  await cluster?.stop();
});

/** ipOf gives service i of a bulk namespace its own cluster IP. */
function ipOf(i: number): string {
  return `10.${100 + (i >> 16)}.${(i >> 8) & 255}.${i & 255}`;
}

/** bulk returns the A and SRV records of services 0..count-1 in namespace ns (the PTRs live elsewhere in the tree). */
function bulk(ns: string, count: number): ReturnType<typeof clusterIpService> {
  const records = [];
  for (let i = 0; i < count; i++) records.push(...clusterIpService(ns, `svc-${i}`, ipOf(i), { http: 80 }).filter((r) => !r.key.includes("/arpa/")));
  return records;
}

describe("a zone past gRPC's default 4 MiB message", () => {
  it("is loaded in pages by a skydns that starts after it was written (20,000 services)", async () => {
    const records = [];
    for (let i = 0; i < 20_000; i++) records.push(...clusterIpService("big", `svc-${i}`, ipOf(i), { http: 80 }));
    const revision = await putAll(cluster.client, records);
    const bytes = records.reduce((n, r) => n + r.key.length + r.value.length, 0);
    expect(bytes).toBeGreaterThan(4 * 1024 * 1024);
    const fresh = await startOn(cluster.etcd.clientUrl);
    try {
      await fresh.ready();
      expect(fresh.revision()).toBeGreaterThanOrEqual(revision);
      for (const i of [0, 12_345, 19_999]) {
        const answer = await dig(fresh.udpAddress.port, ["+noedns", `svc-${i}.big.svc.cluster.local`, "A"]);
        expect(rdata(answer.answer)).toEqual([ipOf(i)]);
      }
    } finally {
      await fresh.stop();
    }
  }, 120_000);
});

describe("one revision larger than gRPC's default 4 MiB message", () => {
  it("deletes all 150,000 records of a range delete at once, and reports that very revision", async () => {
    const records = bulk("bulk", 75_000);
    expect(records).toHaveLength(150_000);
    await cluster.skydns.waitForRevision(await putAll(cluster.client, records));
    const before = await cluster.metric("kubedns_skydns_index_records");
    expect(rdata((await dig(cluster.port, ["+noedns", "svc-74999.bulk.svc.cluster.local", "A"])).answer)).toEqual([ipOf(74_999)]);
    const deleted = await cluster.client.delete().prefix("/skydns/local/cluster/svc/bulk/").exec();
    expect(Number(deleted.deleted)).toBe(150_000);
    const revision = Number(deleted.header.revision);
    await cluster.skydns.waitForRevision(revision);
    expect(cluster.skydns.revision()).toBe(revision);
    expect(cluster.skydns.watchState()).toBe("watching");
    expect(await cluster.metric("kubedns_skydns_index_records")).toBe(before - 150_000);
    for (const i of [0, 37_500, 74_999]) {
      expect((await dig(cluster.port, ["+noedns", `svc-${i}.bulk.svc.cluster.local`, "A"])).status).toBe("NXDOMAIN");
      expect((await dig(cluster.port, ["+noedns", `_http._tcp.svc-${i}.bulk.svc.cluster.local`, "SRV"])).status).toBe("NXDOMAIN");
    }
  }, 120_000);
});

describe("a stream of random names", () => {
  it("leaves at most 10,000 prepared denials, and the answers of real names prepared", async () => {
    await cluster.skydns.waitForRevision(await putAll(cluster.client, clusterIpService("default", "real", "10.0.0.99")));
    const socket = createSocket("udp4");
    const ask = (name: string, id: number): Promise<number> =>
      new Promise((resolve) => {
        socket.once("message", (reply) => resolve(reply.readUInt16BE(2) & 0x0f));
        socket.send(dnsPacket.encode({ id, questions: [{ name, type: "A" }] }), cluster.port, "127.0.0.1");
      });
    try {
      await ask("real.default.svc.cluster.local", 1);
      const hits = await cluster.metric("kubedns_skydns_prepared_hits_total");
      let nxdomain = 0;
      for (let i = 0; i < 30_000; i++) nxdomain += (await ask(`junk-${i}.default.svc.cluster.local`, i & 0xffff)) === 3 ? 1 : 0;
      expect(nxdomain).toBe(30_000);
      expect(await cluster.metric("kubedns_skydns_prepared_entries")).toBeLessThanOrEqual(10_000 + 100);
      expect(await cluster.metric("kubedns_skydns_prepared_evictions_total", { table: "denials" })).toBeGreaterThanOrEqual(20_000);
      await ask("real.default.svc.cluster.local", 2);
      expect(await cluster.metric("kubedns_skydns_prepared_hits_total")).toBe(hits + 1);
    } finally {
      socket.close();
    }
  }, 60_000);
});
