import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEtcd, type EtcdServer } from "@kube-dns/etcd-process";
import { addressRecord, nameRecord, srvRecord, storedRecord, textRecord } from "@kube-dns/msg";
import { Etcd3 } from "etcd3";
import type { SkyDNS } from "../src/index.js";
import { dig, rdata, type DigResult } from "./dig.js";
import { deleteAll, externalService, putAll } from "./fixture.js";
import { metricOf, startOn } from "./harness.js";
import { startDnsmasq, type TestUpstream } from "./upstreams.js";

// The config key moves names between upstreams; each move must show within this long (the watch is one hop).
const APPLIED_WITHIN_MS = 2000;
const CONFIG_KEY = "/skydns/config";

let etcd: EtcdServer;
let client: Etcd3;
let general: TestUpstream;
let stubA: TestUpstream;
let stubB: TestUpstream;
let skydns: SkyDNS;

beforeAll(async () => {
  etcd = await startEtcd();
  client = new Etcd3({ hosts: etcd.clientUrl });
  await putAll(client, externalService("default", "ext", "bar.acme.local"));
  // The general upstream answers every name below, so that an answer from elsewhere tells who answered.
  [general, stubA, stubB] = await Promise.all([
    startDnsmasq(["--local-ttl=60", "--address=/acme.local/192.0.2.66", "--address=/example.com/192.0.2.77", "--address=/corp.internal/192.0.2.88"]),
    startDnsmasq(["--local-ttl=60", "--address=/acme.local/10.9.9.9"]),
    startDnsmasq(["--local-ttl=60", "--address=/acme.local/10.8.8.8"]),
  ]);
  skydns = await startOn(etcd.clientUrl, ["--nameservers", general.address, "--zones", "example.com"]);
  await skydns.ready();
});

afterAll(async () => {
  await skydns?.stop();
  client?.close();
  await Promise.all([general?.stop(), stubA?.stop(), stubB?.stop(), etcd?.stop()]);
});

async function putConfig(value: string): Promise<number> {
  return putAll(client, [{ key: CONFIG_KEY, value }]);
}

async function addressOf(name: string): Promise<string[]> {
  return rdata((await dig(skydns.udpAddress.port, [name, "A"])).answer);
}

const metric = (name: string): Promise<number> => metricOf(skydns.registry, name);

describe("the config key, applied live", () => {
  it("forwards to the flags' nameservers without a config", async () => {
    expect(await addressOf("foo.acme.local")).toEqual(["192.0.2.66"]);
    expect(await metric("kubedns_skydns_config_revision")).toBe(0);
  });

  it("sends a stub domain's names to its servers once the key names it", async () => {
    const revision = await putConfig(JSON.stringify({ stub_domains: { "acme.local.": [stubA.address] } }));
    await expect.poll(() => addressOf("foo.acme.local"), { timeout: APPLIED_WITHIN_MS, interval: 50 }).toEqual(["10.9.9.9"]);
    expect(await metric("kubedns_skydns_config_revision")).toBe(revision);
  });

  it("moves the domain to another stub, and the old answer is not served after", async () => {
    await putConfig(JSON.stringify({ stub_domains: { "acme.local.": [stubB.address] } }));
    await expect.poll(() => addressOf("foo.acme.local"), { timeout: APPLIED_WITHIN_MS, interval: 50 }).toEqual(["10.8.8.8"]);
    for (let i = 0; i < 5; i++) expect(await addressOf("foo.acme.local")).toEqual(["10.8.8.8"]);
  });

  it("completes an ExternalName CNAME whose target is under a stub domain through that stub", async () => {
    const result = await dig(skydns.udpAddress.port, ["ext.default.svc.cluster.local", "A"]);
    expect(result.answer.map((r) => r.split(" ").slice(3).join(" "))).toEqual(["CNAME bar.acme.local.", "A 10.8.8.8"]);
  });

  it.each([
    ["bad JSON", "{stub_domains"],
    ["a stub domain inside the cluster domain", JSON.stringify({ stub_domains: { "svc.cluster.local.": ["127.0.0.1:53"] } })],
    ["a bad address", JSON.stringify({ stub_domains: { "acme.local.": ["not-an-address"] } })],
  ])("refuses %s as a whole: counted, and the last good config stays", async (_title, value) => {
    const [refused, revision] = [await metric("kubedns_skydns_config_refused_total"), await metric("kubedns_skydns_config_revision")];
    await skydns.waitForRevision(await putConfig(value));
    expect(await metric("kubedns_skydns_config_refused_total")).toBe(refused + 1);
    expect(await metric("kubedns_skydns_config_revision")).toBe(revision);
    expect(await addressOf("foo.acme.local")).toEqual(["10.8.8.8"]);
  });

  it("applies a key already in etcd on a full read of the prefix (start, or a reload), not as a record", async () => {
    // The refusals above left a bad value in the key: put the good one back first.
    await skydns.waitForRevision(await putConfig(JSON.stringify({ stub_domains: { "acme.local.": [stubB.address] } })));
    const late = await startOn(etcd.clientUrl, ["--nameservers", general.address]);
    const noRec = await startOn(etcd.clientUrl, ["--no-rec"]);
    try {
      await Promise.all([late.ready(), noRec.ready()]);
      expect(rdata((await dig(late.udpAddress.port, ["foo.acme.local", "A"])).answer)).toEqual(["10.8.8.8"]);
      expect(await metricOf(late.registry, "kubedns_skydns_index_invalid_records_total")).toBe(0);
      // --no-rec forwards nothing, stub domains included.
      expect((await dig(noRec.udpAddress.port, ["foo.acme.local", "A"])).status).toBe("REFUSED");
    } finally {
      await Promise.all([late.stop(), noRec.stop()]);
    }
  });

  it("returns to the flags' nameservers when the key is deleted", async () => {
    await deleteAll(client, [CONFIG_KEY]);
    await expect.poll(() => addressOf("foo.acme.local"), { timeout: APPLIED_WITHIN_MS, interval: 50 }).toEqual(["192.0.2.66"]);
    expect(await metric("kubedns_skydns_config_revision")).toBe(0);
  });
});

describe("an extra zone", () => {
  const www = [
    storedRecord("www.example.com", addressRecord("10.1.1.1")),
    storedRecord("www.example.com", textRecord("hello")),
    storedRecord("_http._tcp.www.example.com", srvRecord("www.example.com.", 80)),
    storedRecord("example.com", { ...nameRecord("mail.example.com"), mail: true }),
  ];

  const soaOf = (result: DigResult): string | undefined => result.authority.find((r) => r.split(" ")[3] === "SOA");

  it("answers A, TXT, SRV and MX from the records under its reversed path", async () => {
    await skydns.waitForRevision(await putAll(client, www));
    const ask = (name: string, type: string): Promise<DigResult> => dig(skydns.udpAddress.port, [name, type]);
    const a = await ask("www.example.com", "A");
    expect(rdata(a.answer)).toEqual(["10.1.1.1"]);
    expect(a.flags).toContain("aa");
    expect(rdata((await ask("www.example.com", "TXT")).answer)).toEqual(['"hello"']);
    expect(rdata((await ask("_http._tcp.www.example.com", "SRV")).answer)).toEqual(["10 10 80 www.example.com."]);
    expect(rdata((await ask("example.com", "MX")).answer)).toEqual(["10 mail.example.com."]);
  });

  it("never forwards a name of the zone: a missing one is NXDOMAIN with the zone's SOA", async () => {
    const result = await dig(skydns.udpAddress.port, ["nope.example.com", "A"]);
    expect(result.status).toBe("NXDOMAIN");
    expect(result.flags).toContain("aa");
    expect(soaOf(result)).toMatch(/^example\.com\. \d+ IN SOA ns\.dns\.example\.com\. hostmaster\.example\.com\. /);
  });

  it("answers NXDOMAIN once the record is deleted", async () => {
    await skydns.waitForRevision(await deleteAll(client, [www[0]!.key, www[1]!.key]));
    const result = await dig(skydns.udpAddress.port, ["www.example.com", "A"]);
    // _http._tcp.www.example.com still lies below it: the name exists, with no data (RFC 8020).
    expect(result.status).toBe("NOERROR");
    expect(result.answer).toEqual([]);
    await skydns.waitForRevision(await deleteAll(client, [www[2]!.key]));
    const gone = await dig(skydns.udpAddress.port, ["www.example.com", "A"]);
    expect(gone.status).toBe("NXDOMAIN");
    expect(soaOf(gone)).toMatch(/^example\.com\. /);
  });

  it("serves a zone the config key adds, and forwards it again once the key is gone", async () => {
    await skydns.waitForRevision(await putAll(client, [storedRecord("www.corp.internal", addressRecord("10.2.2.2"))]));
    expect(await addressOf("www.corp.internal")).toEqual(["192.0.2.88"]);
    await putConfig(JSON.stringify({ zones: ["corp.internal."] }));
    await expect.poll(() => addressOf("www.corp.internal"), { timeout: APPLIED_WITHIN_MS, interval: 50 }).toEqual(["10.2.2.2"]);
    expect((await dig(skydns.udpAddress.port, ["other.corp.internal", "A"])).status).toBe("NXDOMAIN");
    await deleteAll(client, [CONFIG_KEY]);
    await expect.poll(() => addressOf("www.corp.internal"), { timeout: APPLIED_WITHIN_MS, interval: 50 }).toEqual(["192.0.2.88"]);
  });
});
