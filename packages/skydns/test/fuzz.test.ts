import dnsPacket from "dns-packet";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Handler } from "../src/handler.js";
import { IndexStore } from "../src/index-store.js";
import { PreparedReplies } from "../src/prepared.js";
import { PROTO_TCP, PROTO_UDP, Stats } from "../src/stats.js";
import { zoneFor } from "../src/zone.js";
import { clusterIpService, headlessService, putAll } from "./fixture.js";
import { corpus } from "./fuzz/corpus.js";
import { fuzzUdp, tcpLie, type TcpLie } from "./fuzz/run.js";
import { startCluster, type Cluster } from "./harness.js";

// A bounded, seeded sample of the fuzz corpus (bench/fuzz.ts runs a million and more). FUZZ_SEED replays another.
const SEED = Number(process.env["FUZZ_SEED"] ?? 20261129);
const RECORDS = [
  ...clusterIpService("default", "kubernetes", "10.0.0.1", { https: 443 }),
  ...headlessService("default", "big", Array.from({ length: 60 }, (_, i) => ({ ip: `10.244.0.${i + 1}` })), { http: 80 }),
];

let cluster: Cluster;

beforeAll(async () => {
  cluster = await startCluster(["--no-rec"]);
  await cluster.skydns.waitForRevision(await putAll(cluster.client, RECORDS));
});

afterAll(async () => {
  await cluster?.stop();
});

describe(`skydns under 20,000 fuzzed UDP messages (seed ${SEED})`, () => {
  it("answers or drops each as it must, never larger than the client takes, and answers the valid probe throughout", async () => {
    const report = await fuzzUdp("127.0.0.1", cluster.port, SEED, 20_000, { name: "kubernetes.default.svc.cluster.local", address: "10.0.0.1" }, 500);
    expect(report.violations).toEqual([]);
    expect(report.cases).toBe(20_000);
    expect(report.probesRight).toBe(report.probes);
    expect(report.probes).toBeGreaterThan(40);
    // Every kind of damage was sent, and both answers and drops happened.
    expect(Object.keys(report.kinds).length).toBeGreaterThanOrEqual(15);
    expect(report.replied).toBeGreaterThan(10_000);
    expect(report.dropped).toBeGreaterThan(100);
  }, 120_000);
});

describe("skydns over TCP connections that lie", () => {
  const query = dnsPacket.encode({ id: 9, questions: [{ name: "kubernetes.default.svc.cluster.local", type: "A" }] });
  const lies: TcpLie[] = ["longer", "shorter", "zero", "65535", "half-open", "slow", "pipelined"];

  it.each(lies)("survives length prefixes and connections that lie (%s), and still answers over TCP and UDP", async (lie) => {
    const replies = await Promise.all(Array.from({ length: 10 }, () => tcpLie("127.0.0.1", cluster.port, lie, query)));
    if (lie === "pipelined") expect(replies).toEqual(Array(10).fill(20));
    if (lie === "zero") expect(replies.every((n) => n === 1)).toBe(true);
    const honest = await tcpLie("127.0.0.1", cluster.port, "pipelined", query);
    expect(honest).toBe(20);
  });
});

describe("prepared replies on the fuzz corpus", () => {
  it("give byte for byte what the full path gives, for 30,000 fuzzed messages over UDP and TCP", async () => {
    const store = new IndexStore("/skydns");
    store.replaceAll(RECORDS.map((r) => ({ key: r.key, value: r.value })), 1, 1000);
    const zone = zoneFor({ domain: "cluster.local.", nsAddresses: ["10.0.0.10"], ttlSeconds: 30, minTtlSeconds: 0, wildcards: false });
    const source = { store, zone, prefix: "/skydns" };
    const stats = new Stats();
    const prepared = new Handler({ source, forwarder: undefined, roundRobin: true, prepared: new PreparedReplies({ maxAnswers: 1000, maxDenials: 1000 }, stats, () => store.serial) });
    const full = new Handler({ source, forwarder: undefined, roundRobin: true, prepared: undefined });
    let compared = 0;
    for (const { kind, bytes } of corpus(SEED + 1, 30_000)) {
      const proto = compared % 2 === 0 ? PROTO_UDP : PROTO_TCP;
      const [a, b] = [await prepared.answer(bytes, proto), await full.answer(bytes, proto)];
      expect(a.bytes?.toString("hex"), `${kind}: ${bytes.toString("hex")}`).toBe(b.bytes?.toString("hex"));
      compared++;
    }
    expect(stats.preparedHits).toBeGreaterThan(1000);
  }, 120_000);
});
