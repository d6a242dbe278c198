import { addressRecord, storedRecord } from "@kube-dns/msg";
import dnsPacket, { type Answer } from "dns-packet";
import { describe, expect, it } from "vitest";
import { Handler } from "./handler.js";
import { IndexStore } from "./index-store.js";
import { PreparedReplies, simpleQueryOf } from "./prepared.js";
import { PROTO_UDP, Stats } from "./stats.js";
import { zoneFor } from "./zone.js";

const api = storedRecord("api.default.svc.cluster.local", addressRecord("10.0.0.2"));

function setup(limits = { maxAnswers: 100, maxDenials: 100 }) {
  const store = new IndexStore("/skydns");
  store.replaceAll([{ key: api.key, value: api.value }], 1, 1000);
  const zone = zoneFor({ domain: "cluster.local.", nsAddresses: ["10.0.0.10"], ttlSeconds: 30, minTtlSeconds: 0, wildcards: false });
  const stats = new Stats();
  const prepared = new PreparedReplies(limits, stats, () => store.serial);
  const handler = new Handler({ source: { store, zone, prefix: "/skydns" }, forwarder: undefined, roundRobin: true, prepared });
  const ask = async (name: string): Promise<Buffer> => (await handler.answer(dnsPacket.encode({ id: 1, questions: [{ name, type: "A" }] }), PROTO_UDP)).bytes!;
  return { store, prepared, stats, ask };
}

describe("PreparedReplies", () => {
  it("keeps at most maxDenials denials under a stream of random names, and the answers of real names stay prepared", async () => {
    const { prepared, stats, ask } = setup({ maxAnswers: 10, maxDenials: 50 });
    await ask("api.default.svc.cluster.local");
    for (let i = 0; i < 5000; i++) await ask(`r${i.toString(36)}.default.svc.cluster.local`);
    expect(prepared.size).toBe(51);
    expect(stats.preparedEvictions[1]).toBe(5000 - 50);
    expect(stats.preparedEvictions[0]).toBe(0);
    const hits = stats.preparedHits;
    await ask("api.default.svc.cluster.local");
    expect(stats.preparedHits).toBe(hits + 1);
  });

  it("evicts the oldest answer when the answers table is full, and builds it again on demand", async () => {
    const { store, prepared, stats, ask } = setup({ maxAnswers: 2, maxDenials: 2 });
    const more = [1, 2, 3].map((i) => storedRecord(`s${i}.default.svc.cluster.local`, addressRecord(`10.0.1.${i}`)));
    store.apply(more.map((r) => ({ key: r.key, value: r.value })), 2, 1001);
    for (const i of [1, 2, 3]) await ask(`s${i}.default.svc.cluster.local`);
    expect(prepared.size).toBe(2);
    expect(stats.preparedEvictions[0]).toBe(1);
    const answers = dnsPacket.decode(await ask("s1.default.svc.cluster.local")).answers as Answer[];
    expect(answers.map((a) => ("data" in a ? a.data : undefined))).toEqual(["10.0.1.1"]);
  });

  it("never keeps a reply to a name whose bytes are not a name the index can hold", async () => {
    const { prepared, ask } = setup();
    await ask("we\u00c9ird.default.svc.cluster.local");
    expect(prepared.size).toBe(0);
  });
});

describe("simpleQueryOf", () => {
  const base = dnsPacket.encode({ id: 1, questions: [{ name: "Api.default.svc.cluster.local", type: "A" }] });

  it("keys a query by its lowercased wire name and type", () => {
    const simple = simpleQueryOf(base)!;
    expect(simple.key).toBe(simpleQueryOf(dnsPacket.encode({ id: 9, questions: [{ name: "api.DEFAULT.svc.cluster.local", type: "A" }] }))!.key);
    expect(simple).toMatchObject({ qtype: 1, questionEnd: base.length, edns: false });
  });

  it.each([
    ["a response", dnsPacket.encode({ id: 1, type: "response", questions: [{ name: "a.cluster.local", type: "A" }] })],
    ["opcode NOTIFY", (() => { const m = Buffer.from(base); m[2] = 0x20; return m; })()],
    ["two questions", dnsPacket.encode({ id: 1, questions: [{ name: "a.cluster.local", type: "A" }, { name: "b.cluster.local", type: "A" }] })],
    ["trailing bytes", Buffer.concat([base, Buffer.from([0])])],
    ["a short packet", Buffer.from([1, 2, 3])],
  ])("leaves %s to the full path", (_title, msg) => {
    expect(simpleQueryOf(msg)).toBeUndefined();
  });
});
