import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEtcd, type EtcdServer } from "@kube-dns/etcd-process";
import { addressRecord, srvRecord, storedRecord } from "@kube-dns/msg";
import { parseFlags, startSkyDNS, type SkyDNS } from "@kube-dns/skydns";
import { Etcd3 } from "etcd3";
import { QUERIES, TARGET_LABELS } from "./coredns-mixin.queries.js";
import { exchange } from "./peer-cluster.js";
import { startUpstreamStub, type UpstreamStub } from "./upstream-stub.js";

// CoreDNS's dashboard and alerts, read against skydns's own /metrics after some traffic: every series a query selects
// is served, with every label the query matches or groups by (histograms with their `le` buckets).

interface Sample {
  readonly name: string;
  readonly labels: ReadonlyMap<string, string>;
}

function samplesOf(exposition: string): Sample[] {
  return exposition.split("\n").filter((line) => line !== "" && !line.startsWith("#")).map((line) => {
    const match = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? /.exec(line);
    const labels = new Map([...(match?.[2] ?? "").matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map((m) => [m[1]!, m[2]!] as const));
    return { name: match?.[1] ?? "", labels };
  });
}

// The selectors of an expression (metric name and the labels its matchers name) and the labels it groups by.
function partsOf(expr: string): { selectors: { name: string; labels: string[] }[]; groupBy: string[] } {
  const selectors = [...expr.matchAll(/([a-zA-Z_:][\w:]*)\{([^}]*)\}/g)].map((m) => ({ name: m[1]!, labels: [...m[2]!.matchAll(/(\w+)\s*(?:=~|!~|!=|=)/g)].map((l) => l[1]!) }));
  const groupBy = [...expr.matchAll(/by\s*\(([^)]*)\)/g)].flatMap((m) => m[1]!.split(",").map((l) => l.trim()));
  const labelValues = /label_values\([^,]+,\s*(\w+)\)/.exec(expr);
  return { selectors, groupBy: labelValues ? [...groupBy, labelValues[1]!] : groupBy };
}

describe("povilasv/coredns-mixin's dashboard and alerts against skydns's /metrics", () => {
  let etcd: EtcdServer;
  let upstream: UpstreamStub;
  let skydns: SkyDNS;
  let samples: Sample[];
  beforeAll(async () => {
    etcd = await startEtcd();
    const client = new Etcd3({ hosts: etcd.clientUrl });
    for (const r of [storedRecord("web.default.svc.cluster.local", addressRecord("10.0.0.2")), storedRecord("_http._tcp.web.default.svc.cluster.local", srvRecord("web.default.svc.cluster.local.", 80))]) await client.put(r.key).value(r.value);
    client.close();
    upstream = await startUpstreamStub({ "www.example.org A": [{ name: "www.example.org", type: "A", class: "IN", ttl: 60, data: "192.0.2.1" }] });
    skydns = await startSkyDNS(parseFlags(["--addr", "127.0.0.1:0", "--machines", etcd.clientUrl, "--metrics-addr", "127.0.0.1:0", "--nameservers", upstream.address, "--log-level", "silent"], {}));
    await skydns.ready();
    const port = skydns.udpAddress.port;
    for (const [name, type] of [["web.default.svc.cluster.local", "A"], ["web.default.svc.cluster.local", "A"], ["_http._tcp.web.default.svc.cluster.local", "SRV"], ["nope.default.svc.cluster.local", "AAAA"], ["www.example.org", "A"], ["www.example.org", "A"], ["nowhere.example.org", "A"]] as const) {
      await exchange(port, name, type);
    }
    const { host, port: metricsPort } = skydns.metricsAddress!;
    samples = samplesOf(await (await fetch(`http://${host}:${metricsPort}/metrics`)).text());
  }, 60_000);
  afterAll(async () => {
    await skydns?.stop();
    await upstream?.stop();
    await etcd?.stop();
  });

  it.each(QUERIES.map(([from, expr]) => [from, expr] as const))("%s: %s", (_from, expr) => {
    const { selectors, groupBy } = partsOf(expr);
    expect(selectors.length).toBeGreaterThan(0);
    for (const selector of selectors) {
      const series = samples.filter((s) => s.name === selector.name);
      expect(series.length, `${selector.name} is served`).toBeGreaterThan(0);
      for (const label of [...selector.labels, ...groupBy].filter((l) => !TARGET_LABELS.includes(l))) {
        expect(series.some((s) => s.labels.has(label)), `${selector.name} carries ${label}`).toBe(true);
      }
    }
  });

  it("answers the latency quantile from buckets that hold every query", () => {
    const inf = samples.filter((s) => s.name === "coredns_dns_request_duration_seconds_bucket" && s.labels.get("le") === "+Inf");
    expect(inf.map((s) => s.labels.get("zone")).sort()).toEqual([".", "cluster.local.", "cluster.local.", "cluster.local."]);
  });
});
