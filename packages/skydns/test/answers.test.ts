import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { dig, rdata, types } from "./dig.js";
import { clusterIpService, externalService, headlessService, podRecord, putAll, reverse, schemaVersion } from "./fixture.js";
import { startCluster, type Cluster } from "./harness.js";

interface Case {
  readonly title: string;
  readonly name: string;
  readonly type: string;
  readonly status: string;
  /** "TYPE rdata" of each answer, any order. */
  readonly answer?: readonly string[];
  readonly authority?: readonly string[];
  readonly additional?: readonly string[];
}

const SOA = ["SOA"];
const CASES: readonly Case[] = [
  { title: "answers A for a ClusterIP service", name: "kubernetes.default.svc.cluster.local", type: "A", status: "NOERROR", answer: ["A 10.0.0.1"] },
  { title: "answers NODATA with the SOA for AAAA on an IPv4-only service", name: "kubernetes.default.svc.cluster.local", type: "AAAA", status: "NOERROR", answer: [], authority: SOA },
  { title: "answers SRV for a named port with the target's A in additional", name: "_https._tcp.kubernetes.default.svc.cluster.local", type: "SRV", status: "NOERROR", answer: ["SRV 10 10 443 kubernetes.default.svc.cluster.local."], additional: ["A 10.0.0.1"] },
  { title: "answers SRV on the bare service name, one per named port (v1.2, CoreDNS)", name: "kubernetes.default.svc.cluster.local", type: "SRV", status: "NOERROR", answer: ["SRV 10 10 443 kubernetes.default.svc.cluster.local."], additional: ["A 10.0.0.1"] },
  { title: "answers NODATA for SRV on a name whose records have no port", name: "10-244-1-5.default.pod.cluster.local", type: "SRV", status: "NOERROR", answer: [], authority: SOA },
  { title: "answers UDP SRV records for a udp port", name: "_dns._udp.kube-dns.kube-system.svc.cluster.local", type: "SRV", status: "NOERROR", answer: ["SRV 10 10 53 kube-dns.kube-system.svc.cluster.local."], additional: ["A 10.0.0.10"] },
  { title: "answers every endpoint of a headless service, and no CNAME", name: "web.default.svc.cluster.local", type: "A", status: "NOERROR", answer: ["A 10.244.1.5", "A 10.244.2.7"] },
  { title: "answers a headless endpoint by its hostname", name: "web-0.web.default.svc.cluster.local", type: "A", status: "NOERROR", answer: ["A 10.244.1.5"] },
  { title: "answers headless SRV with one target per endpoint", name: "_http._tcp.web.default.svc.cluster.local", type: "SRV", status: "NOERROR", answer: ["SRV 10 10 80 c89ee3.web.default.svc.cluster.local.", "SRV 10 10 80 web-0.web.default.svc.cluster.local."], additional: ["A 10.244.1.5", "A 10.244.2.7"] },
  { title: "answers A for a pod", name: "10-244-1-5.default.pod.cluster.local", type: "A", status: "NOERROR", answer: ["A 10.244.1.5"] },
  { title: "answers AAAA for an IPv6 service", name: "v6.default.svc.cluster.local", type: "AAAA", status: "NOERROR", answer: ["AAAA fd00::10"] },
  { title: "answers NODATA, not the namespace's records, for a namespace", name: "default.svc.cluster.local", type: "A", status: "NOERROR", answer: [], authority: SOA },
  { title: "answers NODATA for svc.<domain>", name: "svc.cluster.local", type: "A", status: "NOERROR", answer: [], authority: SOA },
  { title: "answers NXDOMAIN with the SOA for a missing name", name: "nope.default.svc.cluster.local", type: "A", status: "NXDOMAIN", answer: [], authority: SOA },
  { title: "answers NXDOMAIN for a wildcard while wildcards are off", name: "*.default.svc.cluster.local", type: "A", status: "NXDOMAIN", answer: [], authority: SOA },
  { title: "answers the SOA at the apex", name: "cluster.local", type: "SOA", status: "NOERROR", answer: ["SOA"] },
  { title: "answers NS at the apex with glue", name: "cluster.local", type: "NS", status: "NOERROR", answer: ["NS ns.dns.cluster.local."], additional: ["A 127.0.0.1"] },
  { title: "resolves the SOA's name server", name: "ns.dns.cluster.local", type: "A", status: "NOERROR", answer: ["A 127.0.0.1"] },
  { title: "answers the schema-version TXT", name: "dns-version.cluster.local", type: "TXT", status: "NOERROR", answer: ['TXT "1.1.0"'] },
  { title: "answers an operator's TXT record", name: "motd.default.svc.cluster.local", type: "TXT", status: "NOERROR", answer: ['TXT "hello world"'] },
  { title: "answers a CNAME for an ExternalName service", name: "ext.default.svc.cluster.local", type: "A", status: "NOERROR", answer: ["CNAME www.example.org."] },
  { title: "answers the CNAME itself for a CNAME query", name: "ext.default.svc.cluster.local", type: "CNAME", status: "NOERROR", answer: ["CNAME www.example.org."] },
  { title: "chases a CNAME inside the zone", name: "alias.default.svc.cluster.local", type: "A", status: "NOERROR", answer: ["A 10.0.0.1", "CNAME kubernetes.default.svc.cluster.local."] },
  { title: "answers PTR for a service IP", name: "1.0.0.10.in-addr.arpa", type: "PTR", status: "NOERROR", answer: ["PTR kubernetes.default.svc.cluster.local."] },
  { title: "answers several PTRs for one IP", name: "99.0.0.10.in-addr.arpa", type: "PTR", status: "NOERROR", answer: ["PTR a.default.svc.cluster.local.", "PTR b.default.svc.cluster.local."] },
  { title: "answers PTR under ip6.arpa", name: "0.1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.d.f.ip6.arpa", type: "PTR", status: "NOERROR", answer: ["PTR v6.default.svc.cluster.local."] },
  { title: "does not take other types under the reverse zones for PTR", name: "1.0.0.10.in-addr.arpa", type: "A", status: "REFUSED", answer: [] },
  { title: "answers ANY minimally with HINFO", name: "kubernetes.default.svc.cluster.local", type: "ANY", status: "NOERROR", answer: ['HINFO "RFC8482" ""'] },
  { title: "answers NODATA for MX", name: "kubernetes.default.svc.cluster.local", type: "MX", status: "NOERROR", answer: [], authority: SOA },
  { title: "refuses a name outside the zone on a label boundary", name: "foocluster.local", type: "A", status: "REFUSED", answer: [] },
  { title: "refuses names outside the zone while forwarding is off", name: "www.example.org", type: "A", status: "REFUSED", answer: [] },
];

const MODES = [
  { mode: "UDP without EDNS", args: ["+noedns", "+ignore"] },
  { mode: "UDP with EDNS and a cookie", args: ["+edns=0", "+cookie", "+ignore"] },
  { mode: "TCP", args: ["+tcp"] },
] as const;

let cluster: Cluster;

beforeAll(async () => {
  cluster = await startCluster(["--no-rec"]);
  await putAll(cluster.client, [
    ...clusterIpService("default", "kubernetes", "10.0.0.1", { https: 443 }),
    ...clusterIpService("kube-system", "kube-dns", "10.0.0.10", { dns: 53 }, "udp"),
    ...clusterIpService("default", "v6", "fd00::10"),
    ...headlessService("default", "web", [{ ip: "10.244.1.5", hostname: "web-0" }, { ip: "10.244.2.7" }], { http: 80 }),
    ...externalService("default", "ext", "www.example.org"),
    ...externalService("default", "alias", "kubernetes.default.svc.cluster.local"),
    podRecord("default", "10.244.1.5"),
    schemaVersion(),
    reverse("10.0.0.99", "a.default.svc.cluster.local."),
    reverse("10.0.0.99", "b.default.svc.cluster.local."),
    { key: "/skydns/local/cluster/svc/default/motd/t1", value: '{"text":"hello world"}' },
  ]);
  await cluster.skydns.ready();
  await cluster.skydns.waitForRevision(Number((await cluster.client.get("/").exec()).header.revision));
});

afterAll(async () => {
  await cluster?.stop();
});

describe.each(MODES)("over $mode", ({ args }) => {
  it.each(CASES)("$title", async (c) => {
    const result = await dig(cluster.port, [...args, "+norec", c.name, c.type]);
    expect(result.status, result.raw).toBe(c.status);
    if (c.status === "NOERROR" || c.status === "NXDOMAIN") expect(result.flags).toContain("aa");
    const summary = (records: readonly string[]): string[] =>
      records.map((r) => r.split(" ").slice(3).join(" ")).map((r) => (r.startsWith("SOA") ? "SOA" : r)).sort();
    if (c.answer) expect(summary(result.answer)).toEqual([...c.answer].sort());
    expect(types(result.authority)).toEqual(c.authority ?? []);
    if (c.additional) expect(summary(result.additional)).toEqual([...c.additional].sort());
  });
});

describe("letter case and rotation", () => {
  it.each(MODES)("answers in the query's letter case over $mode", async ({ args }) => {
    const result = await dig(cluster.port, [...args, "KuberNetes.DEFAULT.svc.Cluster.Local", "A"]);
    expect(result.answer).toEqual(["KuberNetes.DEFAULT.svc.Cluster.Local. 30 IN A 10.0.0.1"]);
  });

  it("rotates the A records of a headless service between queries", async () => {
    const firsts = new Set<string>();
    for (let i = 0; i < 4; i++) firsts.add(rdata((await dig(cluster.port, ["+noedns", "web.default.svc.cluster.local", "A"])).answer.slice(0, 1)).join());
    expect(firsts.size).toBe(2);
  });

  it("served the UDP queries from prepared replies", async () => {
    expect(await cluster.metric("kubedns_skydns_prepared_hits_total")).toBeGreaterThan(0);
  });
});
