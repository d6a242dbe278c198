import { addressRecord, nameRecord, reverseNameFor, srvRecord, storedRecord, textRecord, type StoredRecord } from "@kube-dns/msg";
import dnsPacket, { type Answer, type RecordType } from "dns-packet";
import { describe, expect, it } from "vitest";
import { Handler, type Handled } from "./handler.js";
import { IndexStore } from "./index-store.js";
import { PreparedReplies } from "./prepared.js";
import { PROTO_TCP, PROTO_UDP, Stats, type Proto } from "./stats.js";
import { zoneFor, Zones } from "./zone.js";

const ZONE = "svc.cluster.local";
const MANY = Array.from({ length: 12 }, (_, i) => `10.0.9.${i + 1}`);
const RECORDS: StoredRecord[] = [
  storedRecord(`api.default.${ZONE}`, addressRecord("10.0.0.2")),
  ...MANY.map((ip) => storedRecord(`many.default.${ZONE}`, addressRecord(ip))),
  storedRecord(`v6.default.${ZONE}`, addressRecord("fd00::2")),
  storedRecord(`_http._tcp.api.default.${ZONE}`, srvRecord(`api.default.${ZONE}.`, 80)),
  storedRecord(`alias.default.${ZONE}`, nameRecord(`api.default.${ZONE}`)),
  storedRecord(reverseNameFor("10.0.0.2"), nameRecord(`api.default.${ZONE}`)),
  storedRecord("dns-version.cluster.local", textRecord("1.1.0")),
  // An extra zone (--zones example.org): the same layout under its reversed path.
  storedRecord("www.example.org", addressRecord("10.1.1.1")),
  storedRecord("_http._tcp.www.example.org", srvRecord("www.example.org.", 80)),
  storedRecord("www.example.org", textRecord("hello")),
  storedRecord("example.org", { ...nameRecord("mail.example.org"), mail: true }),
];

function handlers(): { prepared: Handler; full: Handler; stats: Stats; store: IndexStore } {
  const store = new IndexStore("/skydns");
  store.replaceAll(RECORDS.map((r) => ({ key: r.key, value: r.value })), 1, 1000);
  const zone = zoneFor({ domain: "cluster.local.", nsAddresses: ["10.0.0.10"], ttlSeconds: 30, minTtlSeconds: 0, wildcards: false });
  const source = { store, zone, prefix: "/skydns" };
  const zones = new Zones(zone);
  zones.setExtra(["example.org."]);
  const stats = new Stats();
  const cache = new PreparedReplies({ maxAnswers: 1000, maxDenials: 1000 }, stats, () => store.serial);
  return {
    prepared: new Handler({ source, zones, forwarder: undefined, roundRobin: true, prepared: cache }),
    full: new Handler({ source, zones, forwarder: undefined, roundRobin: true, prepared: undefined }),
    stats,
    store,
  };
}

function query(name: string, type: RecordType, id: number, edns: boolean): Buffer {
  const additionals = edns ? [{ name: ".", type: "OPT", udpPayloadSize: 1232, flags: 0, options: [{ code: 10, data: Buffer.alloc(8, 1) }] } as unknown as Answer] : [];
  return dnsPacket.encode({ id, flags: id % 2 === 0 ? dnsPacket.RECURSION_DESIRED : 0, questions: [{ name, type, class: "IN" }], additionals });
}

async function bytesOf(answered: Handled | Promise<Handled>): Promise<Buffer> {
  const handled = await answered;
  if (handled.bytes === undefined) throw new Error("no reply");
  return handled.bytes;
}

// Every reply kind a prepared reply can be: each asked 15 times (the first is answered in full and prepared), in
// random letter case, with and without EDNS, over UDP and TCP.
const KINDS: Array<[string, string, RecordType]> = [
  ["A, one record", `api.default.${ZONE}`, "A"],
  ["A, twelve records in rotation", `many.default.${ZONE}`, "A"],
  ["AAAA", `v6.default.${ZONE}`, "AAAA"],
  ["SRV with its target's A in additional", `_http._tcp.api.default.${ZONE}`, "SRV"],
  ["SRV on the bare service name, from its _port._proto names", `api.default.${ZONE}`, "SRV"],
  ["NXDOMAIN", `nope.default.${ZONE}`, "A"],
  ["NODATA", `api.default.${ZONE}`, "AAAA"],
  ["CNAME chased inside the zone", `alias.default.${ZONE}`, "A"],
  ["PTR", "2.0.0.10.in-addr.arpa", "PTR"],
  ["TXT", "dns-version.cluster.local", "TXT"],
  ["the apex SOA", "cluster.local", "SOA"],
  ["A in an extra zone", "www.example.org", "A"],
  ["SRV in an extra zone", "_http._tcp.www.example.org", "SRV"],
  ["TXT in an extra zone", "www.example.org", "TXT"],
  ["MX in an extra zone", "example.org", "MX"],
  ["NXDOMAIN with the extra zone's SOA", "nope.example.org", "A"],
  ["the extra zone's apex SOA", "example.org", "SOA"],
];

function mixedCase(name: string, seed: number): string {
  return [...name].map((c, i) => ((seed * 31 + i * 7) % 3 === 0 ? c.toUpperCase() : c)).join("");
}

describe("a prepared reply is the handler's own reply, byte for byte", () => {
  it.each(KINDS.flatMap(([title, name, type]) => [false, true].flatMap((edns) => [PROTO_UDP, PROTO_TCP].map((proto) => [title, name, type, edns, proto] as const))))(
    "%s (edns %s, proto %s)",
    async (_title, name, type, edns, proto) => {
      const { prepared, full, stats } = handlers();
      for (let i = 0; i < 15; i++) {
        const msg = query(mixedCase(name, i), type, 0x1000 + i, edns);
        const [fast, slow] = [await bytesOf(prepared.answer(msg, proto as Proto)), await bytesOf(full.answer(msg, proto as Proto))];
        expect(fast.toString("hex"), `query ${i}`).toBe(slow.toString("hex"));
      }
      expect(stats.preparedHits).toBe(14);
    },
  );

  it("hands out the same orders of a 12-record RRset both ways, every rotation of it", async () => {
    const { prepared, full } = handlers();
    const orders = async (handler: Handler): Promise<string[]> => {
      const seen: string[] = [];
      for (let i = 0; i < 24; i++) {
        const reply = dnsPacket.decode(await bytesOf(handler.answer(query(`many.default.${ZONE}`, "A", i, false), PROTO_UDP)));
        seen.push((reply.answers as Answer[]).map((a) => String("data" in a ? a.data : "")).join(" "));
      }
      return seen;
    };
    const [fast, slow] = [await orders(prepared), await orders(full)];
    expect(fast).toEqual(slow);
    expect(new Set(fast).size).toBe(12);
  });

  it("gives again only while current: a watch change drops the reply, and a denial follows the SOA serial", async () => {
    const { prepared, stats, store } = handlers();
    const cache = (prepared as unknown as { options: { prepared: PreparedReplies } }).options.prepared;
    const ask = async (name: string): Promise<dnsPacket.DecodedPacket> => dnsPacket.decode(await bytesOf(prepared.answer(query(name, "A", 7, false), PROTO_UDP)));
    await ask(`api.default.${ZONE}`);
    await ask(`nope.default.${ZONE}`);
    const next = storedRecord(`api.default.${ZONE}`, addressRecord("10.0.0.3"));
    cache.invalidate(store.apply([{ key: RECORDS[0]!.key, value: undefined }, { key: next.key, value: next.value }], 2, 1005));
    expect(((await ask(`api.default.${ZONE}`)).answers as Answer[]).map((a) => ("data" in a ? a.data : ""))).toEqual(["10.0.0.3"]);
    const soa = (await ask(`nope.default.${ZONE}`)).authorities?.[0] as { data: { serial: number } };
    expect(soa.data.serial).toBe(1005);
    expect(stats.preparedHits).toBe(0);
  });

  it("drops a bare-name SRV reply when a port of the service comes or goes", async () => {
    const { prepared, stats, store } = handlers();
    const cache = (prepared as unknown as { options: { prepared: PreparedReplies } }).options.prepared;
    const ports = async (): Promise<number[]> =>
      ((dnsPacket.decode(await bytesOf(prepared.answer(query(`api.default.${ZONE}`, "SRV", 9, false), PROTO_UDP))).answers ?? []) as Answer[])
        .map((a) => (a.type === "SRV" ? a.data.port : 0)).sort((x, y) => x - y);
    expect(await ports()).toEqual([80]);
    const https = storedRecord(`_https._tcp.api.default.${ZONE}`, srvRecord(`api.default.${ZONE}.`, 443));
    cache.invalidate(store.apply([{ key: https.key, value: https.value }], 2, 1005));
    expect(await ports()).toEqual([80, 443]);
    expect(await ports()).toEqual([80, 443]);
    cache.invalidate(store.apply([{ key: https.key, value: undefined }], 3, 1006));
    expect(await ports()).toEqual([80]);
    expect(stats.preparedHits).toBe(1);
  });

  it.each([
    ["EDNS version 1", dnsPacket.encode({ id: 1, questions: [{ name: `api.default.${ZONE}`, type: "A" }], additionals: [{ name: ".", type: "OPT", udpPayloadSize: 1232, ednsVersion: 1, flags: 0, options: [] } as unknown as Answer] })],
    ["class CHAOS", dnsPacket.encode({ id: 1, questions: [{ name: `api.default.${ZONE}`, type: "A", class: "CH" }] })],
    ["an OPT whose option overruns its data", (() => {
      const msg = query(`api.default.${ZONE}`, "A", 1, true);
      msg.writeUInt16BE(200, msg.length - 10); // the cookie option's length
      return msg;
    })()],
  ])("never prepares or gives again a reply to %s", async (_title, msg) => {
    const { prepared, full, stats } = handlers();
    for (let i = 0; i < 3; i++) expect((await bytesOf(prepared.answer(msg, PROTO_UDP))).equals(await bytesOf(full.answer(msg, PROTO_UDP)))).toBe(true);
    expect(stats.preparedHits).toBe(0);
  });
});

describe("an extra zone", () => {
  it("answers a missing name NXDOMAIN, authoritative, with its own SOA", async () => {
    const { full } = handlers();
    const reply = dnsPacket.decode(await bytesOf(full.answer(query("nope.example.org", "A", 3, false), PROTO_UDP)));
    expect(reply.flags! & 0xf).toBe(3); // NXDOMAIN
    expect(reply.flags! & dnsPacket.AUTHORITATIVE_ANSWER).not.toBe(0);
    expect(reply.authorities?.map((rr) => [rr.name, rr.type])).toEqual([["example.org", "SOA"]]);
  });

  it("answers MX for a record marked mail", async () => {
    const { full } = handlers();
    const reply = dnsPacket.decode(await bytesOf(full.answer(query("example.org", "MX", 4, false), PROTO_UDP)));
    expect(reply.answers?.map((rr) => (rr.type === "MX" ? rr.data.exchange : ""))).toEqual(["mail.example.org"]);
  });
});
