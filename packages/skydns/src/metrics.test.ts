import { Registry } from "prom-client";
import { describe, expect, it } from "vitest";
import { encodeProgrammed } from "@kube-dns/msg";
import { createMetrics } from "./metrics.js";
import { Programming } from "./programming.js";
import { CLOSE_EVICTED, CLOSE_IDLE, PROTO_TCP, PROTO_UDP, Stats, WRITER_ETCD, WRITER_FORWARD, WRITER_SERVER, ZONE_DOMAIN, ZONE_DROPPED, ZONE_ROOT } from "./stats.js";

const SERVER = "dns://127.0.0.1:53";

async function scrape(stats: Stats, autopath = false, programming = new Programming()): Promise<string> {
  const registry = new Registry();
  createMetrics(registry, {
    stats, server: SERVER, family: "1", domain: "cluster.local.", version: "0.1.0", forwarding: true, autopath,
    records: () => 3, flagged: () => new Map([["not_json", 2]]), revision: () => 7, watchState: () => "watching", preparedEntries: () => 1, faults: () => 0,
    forwardWaiting: () => 5, tcpConnections: () => 12, configRevision: () => 0,
    cached: () => [{ answers: [{}] }, { answers: [] }] as never,
    programming, recordKinds: () => new Map([["service", 4], ["ptr", 2]]),
  });
  return registry.metrics();
}

const reply = (n: number): Buffer => Buffer.alloc(n);

describe("metrics under CoreDNS's names and labels", () => {
  it("counts requests by zone, proto, family and type, and responses by rcode and plugin", async () => {
    const stats = new Stats();
    stats.countQuery({ zone: ZONE_DOMAIN, writer: WRITER_ETCD, qtypeCode: 1, rcode: 0, bytes: reply(80), truncated: false }, PROTO_UDP, 0.0001, 40);
    stats.countQuery({ zone: ZONE_DOMAIN, writer: WRITER_ETCD, qtypeCode: 1, rcode: 3, bytes: reply(120), truncated: false }, PROTO_UDP, 0.0003, 45);
    stats.countQuery({ zone: ZONE_ROOT, writer: WRITER_FORWARD, qtypeCode: 99, rcode: 0, bytes: reply(600), truncated: false }, PROTO_TCP, 0.02, 50);
    stats.countQuery({ zone: ZONE_DROPPED, writer: WRITER_SERVER, qtypeCode: 0, rcode: 1, bytes: reply(12), truncated: false }, PROTO_UDP, 0.00001, 11);
    stats.invalidRecords.set("bad_host", 1);
    const text = await scrape(stats);
    expect(text).toContain(`coredns_dns_requests_total{server="${SERVER}",zone="cluster.local.",view="",proto="udp",family="1",type="A"} 2\n`);
    expect(text).toContain(`kubedns_skydns_index_invalid_records_total{reason="bad_host"} 1\n`);
    expect(text).toContain(`kubedns_skydns_index_invalid_keys{reason="not_json"} 2\n`);
    expect(text).toContain(`coredns_dns_requests_total{server="${SERVER}",zone=".",view="",proto="tcp",family="1",type="other"} 1\n`);
    expect(text).toContain(`coredns_dns_responses_total{server="${SERVER}",zone="cluster.local.",view="",rcode="NXDOMAIN",plugin="etcd"} 1\n`);
    expect(text).toContain(`coredns_dns_responses_total{server="${SERVER}",zone=".",view="",rcode="NOERROR",plugin="forward"} 1\n`);
    expect(text).toContain(`coredns_dns_responses_total{server="${SERVER}",zone="dropped",view="",rcode="FORMERR",plugin=""} 1\n`);
  });

  it("counts the queries the search path answered under CoreDNS's autopath name, only when --autopath is on", async () => {
    const stats = new Stats();
    stats.countQuery({ zone: ZONE_DOMAIN, writer: WRITER_ETCD, qtypeCode: 1, rcode: 0, bytes: reply(90), truncated: false, searched: true }, PROTO_UDP, 0.0001, 40);
    stats.countQuery({ zone: ZONE_DOMAIN, writer: WRITER_ETCD, qtypeCode: 1, rcode: 3, bytes: reply(90), truncated: false }, PROTO_UDP, 0.0001, 40);
    const on = await scrape(stats, true);
    expect(on).toContain(`coredns_autopath_success_total{server="${SERVER}"} 1\n`);
    expect(on).toContain(`coredns_plugin_enabled{server="${SERVER}",zone="cluster.local.",view="",name="autopath"} 1\n`);
    const off = await scrape(stats);
    expect(off).not.toContain("coredns_autopath_success_total");
    expect(off).not.toContain('name="autopath"');
  });

  it("renders pre-counted histograms as Prometheus does: cumulative buckets, +Inf, sum and count", async () => {
    const stats = new Stats();
    for (const seconds of [0.0001, 0.0003, 0.0003, 5, 20]) {
      stats.countQuery({ zone: ZONE_DOMAIN, writer: WRITER_ETCD, qtypeCode: 33, rcode: 0, bytes: reply(300), truncated: false }, PROTO_UDP, seconds, 40);
    }
    const text = await scrape(stats);
    const at = `server="${SERVER}",zone="cluster.local.",view="",type="SRV"`;
    expect(text).toContain(`coredns_dns_request_duration_seconds_bucket{${at},le="0.00025"} 1\n`);
    expect(text).toContain(`coredns_dns_request_duration_seconds_bucket{${at},le="0.0005"} 3\n`);
    expect(text).toContain(`coredns_dns_request_duration_seconds_bucket{${at},le="8.192"} 4\n`);
    expect(text).toContain(`coredns_dns_request_duration_seconds_bucket{${at},le="+Inf"} 5\n`);
    expect(text).toContain(`coredns_dns_request_duration_seconds_count{${at}} 5\n`);
    expect(text).toMatch(new RegExp(`coredns_dns_request_duration_seconds_sum\\{${at.replace(/[.]/g, "\\.")}\\} 25\\.0007`));
    expect(text).toContain(`coredns_dns_response_size_bytes_bucket{server="${SERVER}",zone="cluster.local.",view="",proto="udp",le="300"} 5\n`);
    expect(text).toContain(`coredns_dns_request_size_bytes_bucket{server="${SERVER}",zone="cluster.local.",view="",proto="udp",le="0"} 0\n`);
  });

  it("serves the cache, forward and build metrics CoreDNS dashboards read, and keeps ours for the rest", async () => {
    const stats = new Stats();
    stats.cacheHits = 4;
    stats.cacheNegativeHits = 1;
    stats.cacheMisses = 2;
    stats.countForward("192.0.2.53:53", 0, 0.01);
    stats.countForward("192.0.2.53:53", 2, 0.02);
    stats.countForward("192.0.2.53:53", undefined, 2);
    const text = await scrape(stats);
    expect(text).toContain(`coredns_cache_hits_total{server="${SERVER}",zones=".",view="",type="success"} 4\n`);
    expect(text).toContain(`coredns_cache_requests_total{server="${SERVER}",zones=".",view=""} 7\n`);
    expect(text).toContain(`coredns_cache_entries{server="${SERVER}",zones=".",view="",type="denial"} 1\n`);
    expect(text).toContain(`coredns_proxy_request_duration_seconds_count{proxy_name="forward",to="192.0.2.53:53",rcode="SERVFAIL"} 1\n`);
    expect(text).toContain(`coredns_forward_requests_total{to="192.0.2.53:53"} 2\n`);
    expect(text).toContain(`coredns_forward_responses_total{to="192.0.2.53:53",rcode="NOERROR"} 1\n`);
    expect(text).toContain(`kubedns_skydns_forward_failures_total{to="192.0.2.53:53"} 1\n`);
    expect(text).toMatch(/^coredns_build_info\{version="0\.1\.0",revision="",goversion="v\d+/m);
    expect(text).toContain('kubedns_skydns_watch_state{state="watching"} 1\n');
  });

  it("counts what the caps shed: forwarded queries refused, TCP connections closed by reason", async () => {
    const stats = new Stats();
    stats.forwardRejects = 9;
    stats.tcpClosed[CLOSE_IDLE] = 2;
    stats.tcpClosed[CLOSE_EVICTED] = 3;
    const text = await scrape(stats);
    expect(text).toContain("coredns_forward_max_concurrent_rejects_total 9\n");
    expect(text).toContain("kubedns_skydns_forward_waiting_queries 5\n");
    expect(text).toContain("kubedns_skydns_tcp_connections 12\n");
    expect(text).toContain('kubedns_skydns_tcp_closed_total{reason="idle"} 2\n');
    expect(text).toContain('kubedns_skydns_tcp_closed_total{reason="evicted"} 3\n');
  });

  it("serves the records by kind and the programming histogram once it has an observation", async () => {
    const programming = new Programming();
    expect(await scrape(new Stats(), false, programming)).not.toContain("kubedns_skydns_programming_sent_to_indexed_seconds_count");
    programming.observe(encodeProgrammed({ sentAt: 1000, changes: [] }), 1003);
    const text = await scrape(new Stats(), false, programming);
    expect(text).toContain('kubedns_skydns_index_records_by_kind{kind="service"} 4\n');
    expect(text).toContain("kubedns_skydns_programming_sent_to_indexed_seconds_bucket{le=\"0.004\"} 1\n");
    expect(text).toContain("kubedns_skydns_programming_sent_to_indexed_seconds_count 1\n");
  });
});
