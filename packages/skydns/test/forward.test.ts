import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freePort, startEtcd, type EtcdServer } from "@kube-dns/etcd-process";
import { Etcd3 } from "etcd3";
import type { SkyDNS } from "../src/index.js";
import { dig, rdata } from "./dig.js";
import { externalService, putAll } from "./fixture.js";
import { metricOf, startOn } from "./harness.js";
import { startDnsmasq, startScriptedUpstream, type TestUpstream } from "./upstreams.js";

let etcd: EtcdServer;
let dnsmasq: TestUpstream;
let scripted: TestUpstream;
let viaDnsmasq: SkyDNS;
let withFailover: SkyDNS;

beforeAll(async () => {
  etcd = await startEtcd();
  const client = new Etcd3({ hosts: etcd.clientUrl });
  await putAll(client, externalService("default", "ext", "www.example.org"));
  client.close();
  dnsmasq = await startDnsmasq(["--local-ttl=60", "--address=/example.org/192.0.2.1", "--address=/nx.test/", "--ptr-record=1.2.0.192.in-addr.arpa,host.example.org"]);
  scripted = await startScriptedUpstream();
  const deadPort = await freePort();
  viaDnsmasq = await startOn(etcd.clientUrl, ["--nameservers", dnsmasq.address]);
  withFailover = await startOn(etcd.clientUrl, ["--nameservers", `127.0.0.1:${deadPort},${scripted.address}`, "--rtimeout", "300ms"]);
  await Promise.all([viaDnsmasq.ready(), withFailover.ready()]);
});

afterAll(async () => {
  await Promise.all([viaDnsmasq?.stop(), withFailover?.stop()]);
  await Promise.all([dnsmasq?.stop(), scripted?.stop(), etcd?.stop()]);
});

describe("forwarding", () => {
  it("forwards a name outside the zone and offers recursion", async () => {
    const result = await dig(viaDnsmasq.udpAddress.port, ["www.example.org", "A"]);
    expect(result.status).toBe("NOERROR");
    expect(rdata(result.answer)).toEqual(["192.0.2.1"]);
    expect(result.flags).toContain("ra");
    expect(result.flags).not.toContain("aa");
  });

  it("answers a repeated question from the cache", async () => {
    const before = await metricOf(viaDnsmasq.registry, "coredns_cache_hits_total", { type: "success" });
    await dig(viaDnsmasq.udpAddress.port, ["cached.example.org", "A"]);
    const again = await dig(viaDnsmasq.udpAddress.port, ["CACHED.example.org", "A"]);
    expect(again.answer).toHaveLength(1);
    expect(again.answer[0]).toMatch(/^CACHED\.example\.org\. \d+ IN A 192\.0\.2\.1$/);
    expect(await metricOf(viaDnsmasq.registry, "coredns_cache_hits_total", { type: "success" })).toBe(before + 1);
  });

  it("relays NXDOMAIN from the upstream", async () => {
    const result = await dig(viaDnsmasq.udpAddress.port, ["a.nx.test", "A"]);
    expect(result.status).toBe("NXDOMAIN");
    expect(result.flags).not.toContain("aa");
  });

  it("forwards PTR queries for addresses it holds no record of", async () => {
    const result = await dig(viaDnsmasq.udpAddress.port, ["-x", "192.0.2.1"]);
    expect(rdata(result.answer)).toEqual(["host.example.org."]);
  });

  it("follows an ExternalName CNAME to its upstream address", async () => {
    const result = await dig(viaDnsmasq.udpAddress.port, ["ext.default.svc.cluster.local", "A"]);
    expect(result.flags).toContain("aa");
    expect(result.answer.map((r) => r.split(" ").slice(3).join(" "))).toEqual(["CNAME www.example.org.", "A 192.0.2.1"]);
  });

  it("fails over to the next upstream when one does not answer", async () => {
    const result = await dig(withFailover.udpAddress.port, ["next.example.net", "A"]);
    expect(rdata(result.answer)).toEqual(["198.51.100.7"]);
    expect(await metricOf(withFailover.registry, "kubedns_skydns_forward_failures_total")).toBeGreaterThanOrEqual(1);
  });

  it("retries over TCP when the upstream truncates", async () => {
    const result = await dig(withFailover.udpAddress.port, ["big.tc.test", "A"]);
    expect(rdata(result.answer)).toEqual(["198.51.100.1", "198.51.100.2", "198.51.100.3"]);
    expect(result.flags).not.toContain("tc");
  });

  it("caches a denial for the SOA's negative TTL (RFC 2308)", async () => {
    const before = await metricOf(withFailover.registry, "coredns_cache_hits_total", { type: "denial" });
    expect((await dig(withFailover.udpAddress.port, ["gone.nx.test", "A"])).status).toBe("NXDOMAIN");
    const again = await dig(withFailover.udpAddress.port, ["gone.nx.test", "A"]);
    expect(again.status).toBe("NXDOMAIN");
    expect(again.authority[0]).toMatch(/^nx\.test\. (29|30) IN SOA /);
    expect(await metricOf(withFailover.registry, "coredns_cache_hits_total", { type: "denial" })).toBe(before + 1);
  });

  it("answers SERVFAIL when no upstream answers", async () => {
    expect((await dig(withFailover.udpAddress.port, ["x.silent.test", "A"])).status).toBe("SERVFAIL");
  });
});
