import { createSocket, type Socket } from "node:dgram";
import { startEtcd, type EtcdServer } from "@kube-dns/etcd-process";
import dnsPacket from "dns-packet";
import { Etcd3 } from "etcd3";
import { Registry } from "prom-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MAX_RECORDS_PER_NAME, parseFlags, startSkyDNS, type SkyDNS } from "../src/index.js";
import { dig } from "./dig.js";
import { clusterIpService, putAll } from "./fixture.js";
import { capturedLog, type LogLine, metricOf } from "./harness.js";

// Values under /skydns that kube2sky never writes: each must cost one log line and a count, never the rest of the zone.
const SVC = "/skydns/local/cluster/svc/default";
const HOSTILE: Record<string, { key: string; value: string }> = {
  notJson: { key: `${SVC}/notjson/1`, value: "{not json" },
  wrongType: { key: `${SVC}/wrongtype/1`, value: '{"host":["10.0.0.1"]}' },
  huge: { key: `${SVC}/huge/1`, value: JSON.stringify({ host: "10.0.0.9", text: "x".repeat(1024 * 1024) }) },
  badHost: { key: `${SVC}/badhost/1`, value: '{"host":"10.0.0.1; rm -rf /"}' },
  negativeTtl: { key: `${SVC}/negttl/1`, value: '{"host":"10.0.0.2","ttl":-5}' },
  hugeTtl: { key: `${SVC}/hugettl/1`, value: '{"host":"10.0.0.3","ttl":4294967296}' },
  bigPort: { key: `${SVC}/_http/_tcp/bigport/1`, value: '{"host":"bigport.default.svc.cluster.local.","port":70000}' },
  negativePort: { key: `${SVC}/_http/_tcp/negport/1`, value: '{"host":"negport.default.svc.cluster.local.","port":-1}' },
  shallowKey: { key: "/skydns/local", value: '{"host":"10.0.0.4"}' },
  oddKey: { key: `${SVC}/a b/1`, value: '{"host":"10.0.0.5"}' },
  emptySegment: { key: `${SVC}//1`, value: '{"host":"10.0.0.6"}' },
};
const MANY = 10_000;

let etcd: EtcdServer;
let client: Etcd3;
let skydns: SkyDNS;
let port: number;
let logLines: LogLine[];

beforeAll(async () => {
  etcd = await startEtcd();
  client = new Etcd3({ hosts: etcd.clientUrl });
  for (const { key, value } of Object.values(HOSTILE)) await client.put(key).value(value);
  const many = Array.from({ length: MANY }, (_, i) => ({ key: `${SVC}/many/r${String(i).padStart(5, "0")}`, value: `{"host":"10.8.${i >> 8}.${i & 255}"}` }));
  await putAll(client, many);
  const revision = await putAll(client, clusterIpService("default", "kubernetes", "10.0.0.1", { https: 443 }));
  const captured = capturedLog();
  logLines = captured.lines;
  const config = parseFlags(["--addr", "127.0.0.1:0", "--machines", etcd.clientUrl, "--metrics-addr", "", "--no-rec"], {});
  skydns = await startSkyDNS(config, { log: captured.log, registry: new Registry() });
  port = skydns.udpAddress.port;
  await skydns.waitForRevision(revision);
}, 120_000);

afterAll(async () => {
  await skydns?.stop();
  client?.close();
  await etcd?.stop();
});

const metric = (reason: string): Promise<number> => metricOf(skydns.registry, "kubedns_skydns_index_invalid_records_total", { reason });

describe("hostile values under /skydns in a real etcd", () => {
  it("keeps serving the rest of the zone", async () => {
    const a = await dig(port, ["kubernetes.default.svc.cluster.local", "A"]);
    expect(a.status).toBe("NOERROR");
    expect(a.answer).toEqual(["kubernetes.default.svc.cluster.local. 30 IN A 10.0.0.1"]);
    const srv = await dig(port, ["_https._tcp.kubernetes.default.svc.cluster.local", "SRV"]);
    expect(srv.answer).toEqual(["_https._tcp.kubernetes.default.svc.cluster.local. 30 IN SRV 10 10 443 kubernetes.default.svc.cluster.local."]);
  });

  it.each([
    ["invalid JSON", "notjson", "not_json"],
    ["a host of the wrong type", "wrongtype", "bad_field"],
    ["a megabyte value", "huge", "too_large"],
    ["a host that is neither an IP nor a name", "badhost", "bad_host"],
    ["a negative TTL", "negttl", "bad_field"],
  ])("skips %s: its name does not exist, and the reason is counted", async (_what, label, reason) => {
    expect((await dig(port, [`${label}.default.svc.cluster.local`, "A"])).status).toBe("NXDOMAIN");
    expect(await metric(reason)).toBeGreaterThanOrEqual(1);
  });

  it("skips SRV records whose port is out of 0..65535", async () => {
    for (const label of ["bigport", "negport"]) {
      const result = await dig(port, [`_http._tcp.${label}.default.svc.cluster.local`, "SRV"]);
      expect(result.status).toBe("NXDOMAIN");
      expect(result.answer).toEqual([]);
    }
    expect(await metric("bad_field")).toBe(4); // wrong type, negative TTL and both ports
  });

  it("serves a huge TTL clamped to a day", async () => {
    expect((await dig(port, ["hugettl.default.svc.cluster.local", "A"])).answer).toEqual(["hugettl.default.svc.cluster.local. 86400 IN A 10.0.0.3"]);
    expect(await metric("ttl_clamped")).toBe(1);
  });

  it("skips keys at odd depths or with segments that are not labels", async () => {
    expect(await metric("bad_key")).toBe(3);
  });

  it(`serves ${MAX_RECORDS_PER_NAME} of ten thousand records under one name: the first by key, the rest counted`, async () => {
    const tcp = await dig(port, ["+tcp", "many.default.svc.cluster.local", "A"]);
    expect(tcp.status).toBe("NOERROR");
    expect(tcp.answer).toHaveLength(MAX_RECORDS_PER_NAME);
    expect(tcp.answer[0]).toMatch(/ A 10\.8\.0\.0$/);
    expect(await metric("too_many_records")).toBe(MANY - MAX_RECORDS_PER_NAME);
    const first = await dig(port, ["r00000.many.default.svc.cluster.local", "A"]);
    expect(first.answer).toHaveLength(1);
  });

  it("logs each hostile key once, however often its name is asked for", async () => {
    for (let i = 0; i < 3; i++) await dig(port, ["notjson.default.svc.cluster.local", "A"]);
    const about = (key: string): number => logLines.filter((line) => line.key === key).length;
    for (const { key } of Object.values(HOSTILE)) expect(about(key.slice(0, 300)), key).toBe(1);
    expect(about(`${SVC}/many/r09999`)).toBe(1);
    const notJson = logLines.find((line) => line.key === HOSTILE["notJson"]!.key);
    expect(notJson).toMatchObject({ reason: "not_json", msg: "skipping a value skydns cannot serve" });
  });
});

describe("UDP replies never exceed what the client can take", () => {
  let socket: Socket;
  beforeAll(async () => {
    socket = createSocket("udp4");
    await new Promise<void>((resolve) => socket.bind(0, "127.0.0.1", resolve));
  });
  afterAll(() => socket?.close());

  const exchange = (packet: Buffer): Promise<Buffer> =>
    new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error("no reply within 5 s")), 5000);
      socket.once("message", (reply) => {
        clearTimeout(timer);
        resolve(reply);
      });
      socket.send(packet, port, "127.0.0.1");
    });

  // RFC 6891 section 6.2.5: an advertised size under 512 is taken as 512; without EDNS, 512 (RFC 1035 section 4.2.1).
  it.each([
    ["no EDNS", 512, undefined],
    ["EDNS 1232", 1232, 1232],
    ["EDNS 4096", 4096, 4096],
    ["EDNS 100", 512, 100],
  ])("with %s, a reply for a thousand records is at most %i bytes and sets TC", async (_what, limit, size) => {
    const additionals: dnsPacket.Answer[] = size === undefined ? [] : [{ type: "OPT", name: ".", udpPayloadSize: size, flags: 0, options: [] } as unknown as dnsPacket.Answer];
    const reply = await exchange(dnsPacket.encode({ id: 7, type: "query", flags: dnsPacket.RECURSION_DESIRED, questions: [{ name: "many.default.svc.cluster.local", type: "A", class: "IN" }], additionals }));
    expect(reply.length).toBeLessThanOrEqual(limit);
    const decoded = dnsPacket.decode(reply);
    expect(decoded.flag_tc).toBe(true);
    expect(reply.readUInt8(3) & 0x0f).toBe(0); // NOERROR
  });
});
