import { addressRecord, storedRecord } from "@kube-dns/msg";
import dnsPacket, { type Answer } from "dns-packet";
import { describe, expect, it } from "vitest";
import { FastPath } from "./fastpath.js";
import { Handler } from "./handler.js";
import { IndexStore } from "./index-store.js";
import { PROTO_UDP, Stats } from "./stats.js";
import { zoneFor } from "./zone.js";

const api = storedRecord("api.default.svc.cluster.local", addressRecord("10.0.0.2"));

function setup(limits = { maxAnswers: 100, maxDenials: 100 }) {
  const store = new IndexStore("/skydns");
  store.replaceAll([{ key: api.key, value: api.value }], 1, 1000);
  const zone = zoneFor({ domain: "cluster.local.", nsAddresses: ["10.0.0.10"], ttlSeconds: 30, minTtlSeconds: 0, wildcards: false });
  const source = { store, zone, prefix: "/skydns" };
  const stats = new Stats();
  const fast = new FastPath({ source, stats, recursionAvailable: true, roundRobin: true, ...limits });
  const handler = new Handler({ source, forwarder: undefined, roundRobin: true });
  return { store, fast, handler, stats };
}

const query = (name: string, type: "A" | "AAAA" | "SRV" = "A", id = 0x4242, extra: Partial<dnsPacket.Packet> = {}): Buffer =>
  dnsPacket.encode({ id, flags: dnsPacket.RECURSION_DESIRED, questions: [{ name, type, class: "IN" }], ...extra });

const opt = (options: unknown[] = []): Partial<dnsPacket.Packet> => ({ additionals: [{ name: ".", type: "OPT", udpPayloadSize: 4096, flags: 0, options } as unknown as Answer] });

describe("FastPath", () => {
  it.each([
    ["without options", opt()],
    ["with a cookie", opt([{ code: 10, data: Buffer.alloc(8, 7) }])],
  ])("answers an EDNS query %s as the general path does, OPT included", async (_title, extra) => {
    const { fast, handler } = setup();
    const packet = query("api.default.svc.cluster.local", "A", 0x4242, extra);
    const fastBytes = fast.reply(packet)!;
    const generalBytes = (await handler.handle(packet, PROTO_UDP)).bytes!;
    fastBytes[3] = generalBytes[3]!; // RA: the fast path was told it has recursion, the handler has none
    expect(fastBytes.equals(generalBytes)).toBe(true);
  });

  it.each(["Api.Default.svc.cluster.local", "nope.default.svc.cluster.local", "default.svc.cluster.local"])(
    "answers %s as the general path does, with the query's ID, RD and letter case",
    async (name) => {
      const { fast, handler } = setup();
      const fastReply = dnsPacket.decode(fast.reply(query(name))!);
      const general = dnsPacket.decode((await handler.handle(query(name), PROTO_UDP)).bytes!);
      expect(fastReply.id).toBe(0x4242);
      expect(fastReply.flag_rd).toBe(true);
      expect(fastReply.questions).toEqual([{ name, type: "A", class: "IN" }]);
      // The general path has no recursion here (no forwarder), the fast path was told it has.
      expect({ ...fastReply, flags: 0, flag_ra: false }).toEqual({ ...general, flags: 0, flag_ra: false });
    },
  );

  it("serves a prepared reply until the watch changes the name", () => {
    const { store, fast, stats } = setup();
    fast.reply(query("api.default.svc.cluster.local"));
    fast.reply(query("api.default.svc.cluster.local"));
    expect([stats.fastpathMisses, stats.fastpathHits]).toEqual([1, 1]);
    const next = storedRecord("api.default.svc.cluster.local", addressRecord("10.0.0.3"));
    fast.invalidate(store.apply([{ key: api.key, value: undefined }, { key: next.key, value: next.value }], 2, 1001));
    const answers = dnsPacket.decode(fast.reply(query("api.default.svc.cluster.local"))!).answers as Answer[];
    expect(answers.map((a) => ("data" in a ? a.data : undefined))).toEqual(["10.0.0.3"]);
  });

  it("rebuilds a negative reply when the SOA serial moves", () => {
    const { store, fast } = setup();
    const serialOf = (bytes: Buffer): unknown => (dnsPacket.decode(bytes).authorities?.[0] as { data: { serial: number } }).data.serial;
    expect(serialOf(fast.reply(query("nope.cluster.local"))!)).toBe(1000);
    const other = storedRecord("other.default.svc.cluster.local", addressRecord("10.0.0.4"));
    store.apply([{ key: other.key, value: other.value }], 3, 1005);
    expect(serialOf(fast.reply(query("nope.cluster.local"))!)).toBe(1005);
  });

  it("keeps at most maxDenials denials under a stream of random names, and the answers of real names stay prepared", () => {
    const { fast, stats } = setup({ maxAnswers: 10, maxDenials: 50 });
    fast.reply(query("api.default.svc.cluster.local"));
    for (let i = 0; i < 5000; i++) fast.reply(query(`r${i.toString(36)}.default.svc.cluster.local`));
    expect(fast.size).toBe(51);
    expect(stats.fastpathEvictions[1]).toBe(5000 - 50);
    expect(stats.fastpathEvictions[0]).toBe(0);
    const misses = stats.fastpathMisses;
    fast.reply(query("api.default.svc.cluster.local"));
    expect(stats.fastpathMisses).toBe(misses); // still a hit
  });

  it("evicts the oldest answer when the answers table is full, and forgets it everywhere", () => {
    const { store, fast, stats } = setup({ maxAnswers: 2, maxDenials: 2 });
    const more = [1, 2, 3].map((i) => storedRecord(`s${i}.default.svc.cluster.local`, addressRecord(`10.0.1.${i}`)));
    store.apply(more.map((r) => ({ key: r.key, value: r.value })), 2, 1001);
    for (const i of [1, 2, 3]) fast.reply(query(`s${i}.default.svc.cluster.local`));
    expect(fast.size).toBe(2);
    expect(stats.fastpathEvictions[0]).toBe(1);
    // The evicted name's reply is built again on demand, with the current records.
    const answers = dnsPacket.decode(fast.reply(query("s1.default.svc.cluster.local"))!).answers as Answer[];
    expect(answers.map((a) => ("data" in a ? a.data : undefined))).toEqual(["10.0.1.1"]);
  });

  it.each([
    ["EDNS version 1", query("api.default.svc.cluster.local", "A", 1, { additionals: [{ name: ".", type: "OPT", udpPayloadSize: 1232, ednsVersion: 1, flags: 0, options: [] } as unknown as Answer] })],
    ["a name outside the zone", query("www.example.org")],
    ["a response", dnsPacket.encode({ id: 1, type: "response", questions: [{ name: "api.default.svc.cluster.local", type: "A" }] })],
    ["class CHAOS", dnsPacket.encode({ id: 1, questions: [{ name: "api.default.svc.cluster.local", type: "A", class: "CH" }] })],
    ["a short packet", Buffer.from([1, 2, 3])],
  ])("leaves %s to the general path", (_title, packet) => {
    expect(setup().fast.reply(packet)).toBeUndefined();
  });
});
