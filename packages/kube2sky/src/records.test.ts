import { describe, expect, it } from "vitest";
import type { EndpointGroup, Service } from "./objects.js";
import { addressRecord, encodeRecord, recordIdFor } from "@kube-dns/msg";
import { podLabel } from "@kube-dns/msg";
import { podRecords, schemaRecords, serviceRecords } from "./records.js";

const ZONE = "cluster.local.";
const A = (ip: string) => `{"host":"${ip}","priority":10,"weight":10,"ttl":30,"targetstrip":0}`;
const NAME = (host: string, port?: number) =>
  `{"host":"${host}",${port === undefined ? "" : `"port":${port},`}"priority":10,"weight":10,"ttl":30,"targetstrip":0}`;

function service(overrides: Partial<Service> = {}): Service {
  return { namespace: "default", name: "kubernetes", type: "ClusterIP", clusterIPs: ["10.0.0.1"], externalName: "", ports: [], publishNotReadyAddresses: false, ...overrides };
}

function group(overrides: Partial<EndpointGroup> = {}): EndpointGroup {
  return { namespace: "default", serviceName: "web", source: "slice/default/web-abc", endpoints: [], ports: [], ...overrides };
}

const headless = (overrides: Partial<Service> = {}) => service({ name: "web", clusterIPs: ["None"], ...overrides });
const entries = (set: { records: ReadonlyMap<string, string> }) => Object.fromEntries(set.records);

describe("serviceRecords for a ClusterIP service", () => {
  it("writes v1.2's A and SRV keys for kubernetes.default, plus the PTR the spec added", () => {
    const set = serviceRecords(service({ ports: [{ name: "https", protocol: "TCP", port: 443 }] }), [], ZONE);
    expect(entries(set)).toEqual({
      "/skydns/local/cluster/svc/default/kubernetes/c88f1059": A("10.0.0.1"),
      "/skydns/local/cluster/svc/default/kubernetes/_tcp/_https/c88f1059": NAME("kubernetes.default.svc.cluster.local.", 443),
      [`/skydns/arpa/in-addr/10/0/0/1/${idOf(set, "/skydns/arpa/in-addr/10/0/0/1/")}`]: NAME("kubernetes.default.svc.cluster.local."),
    });
    expect(set.skipped).toEqual([]);
  });

  it("gives kube-dns 10.0.0.10 the id 21172049 and one SRV per named port, lowercase protocol", () => {
    const set = serviceRecords(
      service({ namespace: "kube-system", name: "kube-dns", clusterIPs: ["10.0.0.10"], ports: [{ name: "dns", protocol: "UDP", port: 53 }, { name: "dns-tcp", protocol: "TCP", port: 53 }] }),
      [],
      ZONE,
    );
    expect([...set.records.keys()].filter((k) => k.includes("/svc/")).sort()).toEqual([
      "/skydns/local/cluster/svc/kube-system/kube-dns/21172049",
      "/skydns/local/cluster/svc/kube-system/kube-dns/_tcp/_dns-tcp/21172049",
      "/skydns/local/cluster/svc/kube-system/kube-dns/_udp/_dns/21172049",
    ]);
  });

  it("writes no SRV for an unnamed port, and an A record for a service without ports (v1.2 exited)", () => {
    for (const ports of [[{ name: "", protocol: "TCP", port: 80 }], []]) {
      const keys = [...serviceRecords(service({ ports }), [], ZONE).records.keys()];
      expect(keys.filter((k) => k.includes("/_"))).toEqual([]);
      expect(keys).toContain("/skydns/local/cluster/svc/default/kubernetes/c88f1059");
    }
  });

  it("writes AAAA-style records and an ip6.arpa PTR for an IPv6 cluster IP", () => {
    const set = serviceRecords(service({ clusterIPs: ["fd00::10"] }), [], ZONE);
    const keys = [...set.records.keys()];
    expect(set.records.get(keys.find((k) => k.includes("/svc/")) ?? "")).toBe(A("fd00::10"));
    const ptr = keys.find((k) => k.startsWith("/skydns/arpa/ip6/"));
    expect(ptr).toMatch(/^\/skydns\/arpa\/ip6\/f\/d(\/0){28}\/1\/0\/[0-9a-f]+$/);
  });

  it("writes one A/AAAA and one PTR per cluster IP of a dual-stack service, SRV once under the first IP's id", () => {
    const set = serviceRecords(service({ clusterIPs: ["10.0.0.1", "fd00::1"], ports: [{ name: "https", protocol: "TCP", port: 443 }] }), [], ZONE);
    const keys = [...set.records.keys()];
    expect(keys.filter((k) => /\/svc\/default\/kubernetes\/[0-9a-f]+$/.test(k))).toHaveLength(2);
    expect(keys.filter((k) => k.includes("/arpa/"))).toHaveLength(2);
    expect(keys.filter((k) => k.includes("/_tcp/_https/"))).toEqual(["/skydns/local/cluster/svc/default/kubernetes/_tcp/_https/c88f1059"]);
  });

  it("uses the domain it is given, reversed", () => {
    const keys = [...serviceRecords(service(), [], "example.org.").records.keys()];
    expect(keys).toContain("/skydns/org/example/svc/default/kubernetes/c88f1059");
  });
});

// The keys of a record set outside the reverse zones.
const forwardKeys = (set: { records: ReadonlyMap<string, string> }): string[] => [...set.records.keys()].filter((k) => !k.startsWith("/skydns/arpa/"));

describe("serviceRecords for a headless service", () => {
  const endpoints = group({
    endpoints: [
      { addresses: ["10.244.1.5"], ready: true, hostname: "" },
      { addresses: ["10.244.2.7"], ready: true, hostname: "" },
    ],
    ports: [{ name: "http", protocol: "TCP", port: 80 }],
  });

  it("writes v1.2's per-endpoint A and SRV keys with hashed labels, and PTRs to those labels (spec 2.1, 2.4.3)", () => {
    const set = serviceRecords(headless(), [endpoints], ZONE);
    const ptr = (ip: string): string => [...set.records.keys()].find((k) => k.startsWith(`/skydns/arpa/in-addr/${ip.split(".").join("/")}/`)) ?? "";
    expect(entries(set)).toEqual({
      "/skydns/local/cluster/svc/default/web/9e51737e": A("10.244.1.5"),
      "/skydns/local/cluster/svc/default/web/c89ee3": A("10.244.2.7"),
      "/skydns/local/cluster/svc/default/web/_tcp/_http/9e51737e": NAME("9e51737e.web.default.svc.cluster.local.", 80),
      "/skydns/local/cluster/svc/default/web/_tcp/_http/c89ee3": NAME("c89ee3.web.default.svc.cluster.local.", 80),
      [ptr("10.244.1.5")]: NAME("9e51737e.web.default.svc.cluster.local."),
      [ptr("10.244.2.7")]: NAME("c89ee3.web.default.svc.cluster.local."),
    });
    expect(ptr("10.244.1.5")).not.toBe("");
  });

  it("labels an endpoint with its hostname and adds the PTR to <hostname>.<svc> (spec 2.4.1, 2.4.3)", () => {
    const set = serviceRecords(headless(), [group({ endpoints: [{ addresses: ["10.244.1.5"], ready: true, hostname: "web-0" }], ports: endpoints.ports })], ZONE);
    const ptrKey = [...set.records.keys()].find((k) => k.startsWith("/skydns/arpa/in-addr/10/244/1/5/")) ?? "";
    expect(entries(set)).toEqual({
      "/skydns/local/cluster/svc/default/web/web-0": A("10.244.1.5"),
      "/skydns/local/cluster/svc/default/web/_tcp/_http/web-0": NAME("web-0.web.default.svc.cluster.local.", 80),
      [ptrKey]: NAME("web-0.web.default.svc.cluster.local."),
    });
  });

  it("falls back to the hashed label for a hostname that is not a DNS-1123 label", () => {
    const set = serviceRecords(headless(), [group({ endpoints: [{ addresses: ["10.244.1.5"], ready: true, hostname: "Web_0" }] })], ZONE);
    expect(forwardKeys(set)).toEqual(["/skydns/local/cluster/svc/default/web/9e51737e"]);
  });

  it("leaves out not-ready endpoints, so a service with none has no records (spec: NXDOMAIN)", () => {
    const set = serviceRecords(headless(), [group({ endpoints: [{ addresses: ["10.244.1.5"], ready: false, hostname: "" }] })], ZONE);
    expect(set.records.size).toBe(0);
    expect(serviceRecords(headless(), [], ZONE).records.size).toBe(0);
  });

  it("includes not-ready endpoints when the service publishes them", () => {
    const set = serviceRecords(headless({ publishNotReadyAddresses: true }), [group({ endpoints: [{ addresses: ["10.244.1.5"], ready: false, hostname: "" }] })], ZONE);
    expect(forwardKeys(set)).toEqual(["/skydns/local/cluster/svc/default/web/9e51737e"]);
  });

  it("gives a dual-stack hostname one key per address under <svc>/<hostname>/ and under <svc>/, and one SRV", () => {
    const ports = [{ name: "http", protocol: "TCP", port: 80 }];
    const set = serviceRecords(
      headless(),
      [
        group({ source: "slice/default/web-v4", endpoints: [{ addresses: ["10.244.1.5"], ready: true, hostname: "web-0" }], ports }),
        group({ source: "slice/default/web-v6", endpoints: [{ addresses: ["fd00::5"], ready: true, hostname: "web-0" }], ports }),
      ],
      ZONE,
    );
    const keys = [...set.records.keys()].filter((k) => k.includes("/svc/")).sort();
    expect(keys).toHaveLength(5);
    expect(keys.filter((k) => k.startsWith("/skydns/local/cluster/svc/default/web/web-0/"))).toHaveLength(2);
    // The service name itself answers both addresses, from leaves directly under <svc>.
    expect(keys).toContain(`/skydns/local/cluster/svc/default/web/${recordIdFor(encodeRecord(addressRecord("10.244.1.5")))}`);
    expect(keys).toContain(`/skydns/local/cluster/svc/default/web/${recordIdFor(encodeRecord(addressRecord("fd00::5")))}`);
    expect(keys).toContain("/skydns/local/cluster/svc/default/web/_tcp/_http/web-0");
    expect([...set.records.keys()].filter((k) => k.includes("/arpa/"))).toHaveLength(2);
  });

  it("serves a headless service without selector from the endpoints its owner wrote, with endpoint ports", () => {
    const set = serviceRecords(headless({ name: "db" }), [group({ serviceName: "db", endpoints: [{ addresses: ["192.0.2.4"], ready: true, hostname: "" }], ports: [{ name: "pg", protocol: "TCP", port: 5432 }] })], ZONE);
    expect([...set.records.keys()].some((k) => k.startsWith("/skydns/local/cluster/svc/default/db/_tcp/_pg/"))).toBe(true);
  });

  it("skips a bad endpoint address and a bad port name, keeping the rest, with reasons", () => {
    const set = serviceRecords(
      headless(),
      [group({ endpoints: [{ addresses: ["not-an-ip", "10.244.1.5"], ready: true, hostname: "" }], ports: [{ name: "Bad_Name", protocol: "TCP", port: 80 }] })],
      ZONE,
    );
    expect(forwardKeys(set)).toEqual(["/skydns/local/cluster/svc/default/web/9e51737e"]);
    expect(set.skipped).toHaveLength(2);
  });
});

describe("serviceRecords for an ExternalName service and bad data", () => {
  it("writes a CNAME-style record to the external name (spec 2.5)", () => {
    const set = serviceRecords(service({ name: "db", type: "ExternalName", clusterIPs: [], externalName: "db.example.org" }), [], ZONE);
    expect(entries(set)).toEqual({ [`/skydns/local/cluster/svc/default/db/${idOf(set, "/skydns/local/cluster/svc/default/db/")}`]: NAME("db.example.org.") });
  });

  it.each([
    ["an ExternalName that is an IP", service({ type: "ExternalName", clusterIPs: [], externalName: "192.0.2.1" }), /not a DNS name/],
    ["an empty ExternalName", service({ type: "ExternalName", clusterIPs: [], externalName: "" }), /not a DNS name/],
    ["no cluster IP", service({ clusterIPs: [] }), /no cluster IP/],
    ["a cluster IP that is not an IP", service({ clusterIPs: ["10.0.0.300"] }), /not an IP address/],
    ["a name that is not a label", service({ name: "Bad.Name" }), /not a DNS label/],
  ])("skips a service with %s, with a reason", (_what, svc, reason) => {
    const set = serviceRecords(svc, [], ZONE);
    expect(set.records.size).toBe(0);
    expect(set.skipped.join()).toMatch(reason);
  });
});

describe("podRecords and schemaRecords", () => {
  it("writes v1.2's pod key for 10.244.1.5", () => {
    const pods = [{ namespace: "default", name: "p", ips: ["10.244.1.5"] }];
    expect(entries(podRecords("default", "10.244.1.5", pods, ZONE))).toEqual({ "/skydns/local/cluster/pod/default/10-244-1-5/9e51737e": A("10.244.1.5") });
  });

  it("writes nothing when no pod holds the IP any more", () => {
    expect(podRecords("default", "10.244.1.5", [], ZONE).records.size).toBe(0);
  });

  it("dashes IPv6 pod IPs", () => {
    expect(podLabel("fd00::5")).toBe("fd00--5");
  });

  it("writes dns-version TXT 1.1.0 with TTL 28800 (spec 2.2)", () => {
    expect(entries(schemaRecords(ZONE))).toEqual({
      [`/skydns/local/cluster/dns-version/${idOf(schemaRecords(ZONE), "/skydns/local/cluster/dns-version/")}`]: '{"text":"1.1.0","ttl":28800,"targetstrip":0}',
    });
  });
});

function idOf(set: { records: ReadonlyMap<string, string> }, under: string): string {
  const key = [...set.records.keys()].find((k) => k.startsWith(under)) ?? "";
  return key.slice(under.length);
}
