/**
 * CoreDNS's reverse-lookup tests, ported as data: coredns/coredns plugin/kubernetes/reverse_test.go (TestReverse and
 * its mock APIConnReverseTest), commit 4b26cced3. The mock is a cluster of its own: svc1 with a cluster IP and
 * endpoints in three slices (one address in two of them), and an endpoint selected by two services, svc2 having no
 * Service. TTLs and SOA fields other than the MNAME are not compared.
 */
import type { KubeObject } from "@kube-dns/dev-apiserver";
import { service, slice } from "./objects.js";
import type { PeerCase } from "./peer-case.js";

/** FIXTURE is APIConnReverseTest's services and endpoints as API objects. */
export const FIXTURE: readonly KubeObject[] = [
  service("testns", "svc1", { clusterIPs: ["192.168.1.100"], ports: [["http", "TCP", 80]] }),
  slice("testns", "svc1", "svc1-slice1", [{ ip: "10.0.0.100", hostname: "ep1a" }, { ip: "10.0.0.99", hostname: "double-ep" }], [["http", "TCP", 80]]),
  slice("testns", "svc1", "svc1-slice2", [{ ip: "1234:abcd::1", hostname: "ep1b" }, { ip: "fd00:77:30::a", hostname: "ip6svc1ex" }, { ip: "fd00:77:30::2:9ba6", hostname: "ip6svc1in" }], [["http", "TCP", 80]]),
  slice("testns", "svc1", "svc1-ccccc", [{ ip: "10.0.0.100", hostname: "ep1a" }], [["http", "TCP", 80]]),
  slice("testns", "svc2", "svc2-slice1", [{ ip: "10.0.0.99", hostname: "double-ep" }], [["http", "TCP", 80]]),
];

// A name skydns holds no record of is forwarded (here to a stub that knows nothing: NXDOMAIN, no authority).
const FORWARDED = { rcode: "NXDOMAIN", answer: [], ns: [] };
const CLUSTER_IP_ENDPOINTS = "kube2sky writes endpoint records for headless services only, as v1.2 did and the spec asks (2.4.3); svc1 has a cluster IP, so its endpoints' addresses are not in the zone and the question is forwarded (v1.2)";
const NOT_AUTHORITATIVE = "skydns is not authoritative for the reverse zones: a PTR it holds no record of, and any other type under in-addr.arpa, is forwarded (v1.2) rather than denied with the reverse zone's SOA";
const SOA = "cluster.local.       5     IN      SOA     ns.dns.cluster.local. hostmaster.cluster.local. 1502989566 7200 1800 86400 5";
const REVERSE_SOA = "0.10.in-addr.arpa.       5     IN      SOA     ns.dns.0.10.in-addr.arpa. hostmaster.0.10.in-addr.arpa. 1502989566 7200 1800 86400 5";

/** CASES are TestReverse's table, in its order. */
export const CASES: readonly PeerCase[] = [
  { from: "TestReverse", qname: "100.0.0.10.in-addr.arpa.", qtype: "PTR", rcode: "NOERROR", answer: ["100.0.0.10.in-addr.arpa.      5    IN      PTR       ep1a.svc1.testns.svc.cluster.local."], ours: { ...FORWARDED, why: CLUSTER_IP_ENDPOINTS } },
  { from: "TestReverse", qname: "100.1.168.192.in-addr.arpa.", qtype: "PTR", rcode: "NOERROR", answer: ["100.1.168.192.in-addr.arpa.     5     IN      PTR       svc1.testns.svc.cluster.local."] },
  {
    from: "TestReverse", qname: "1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.d.c.b.a.4.3.2.1.ip6.arpa.", qtype: "PTR", rcode: "NOERROR",
    answer: ["1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.d.c.b.a.4.3.2.1.ip6.arpa. 5 IN PTR ep1b.svc1.testns.svc.cluster.local."], ours: { ...FORWARDED, why: CLUSTER_IP_ENDPOINTS },
  },
  {
    from: "TestReverse", qname: "a.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.3.0.0.7.7.0.0.0.0.d.f.ip6.arpa.", qtype: "PTR", rcode: "NOERROR",
    answer: ["a.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.3.0.0.7.7.0.0.0.0.d.f.ip6.arpa. 5 IN PTR ip6svc1ex.svc1.testns.svc.cluster.local."], ours: { ...FORWARDED, why: CLUSTER_IP_ENDPOINTS },
  },
  {
    from: "TestReverse", qname: "6.a.b.9.2.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.3.0.0.7.7.0.0.0.0.d.f.ip6.arpa.", qtype: "PTR", rcode: "NOERROR",
    answer: ["6.a.b.9.2.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.3.0.0.7.7.0.0.0.0.d.f.ip6.arpa. 5 IN PTR ip6svc1in.svc1.testns.svc.cluster.local."], ours: { ...FORWARDED, why: CLUSTER_IP_ENDPOINTS },
  },
  { from: "TestReverse", qname: "101.0.0.10.in-addr.arpa.", qtype: "PTR", rcode: "NXDOMAIN", ns: [REVERSE_SOA], ours: { ...FORWARDED, why: NOT_AUTHORITATIVE } },
  { from: "TestReverse", qname: "example.org.cluster.local.", qtype: "PTR", rcode: "NXDOMAIN", ns: [SOA] },
  { from: "TestReverse", qname: "svc1.testns.svc.cluster.local.", qtype: "PTR", rcode: "NOERROR", ns: [SOA] },
  { from: "TestReverse", qname: "svc1.testns.svc.0.10.in-addr.arpa.", qtype: "A", rcode: "NXDOMAIN", ns: [REVERSE_SOA], ours: { ...FORWARDED, why: NOT_AUTHORITATIVE } },
  { from: "TestReverse", qname: "100.0.0.10.cluster.local.", qtype: "PTR", rcode: "NXDOMAIN", ns: [SOA] },
  {
    from: "TestReverse", qname: "99.0.0.10.in-addr.arpa.", qtype: "PTR", rcode: "NOERROR",
    answer: ["99.0.0.10.in-addr.arpa.      5    IN      PTR       double-ep.svc1.testns.svc.cluster.local.", "99.0.0.10.in-addr.arpa.      5    IN      PTR       double-ep.svc2.testns.svc.cluster.local."],
    ours: { ...FORWARDED, why: `${CLUSTER_IP_ENDPOINTS}; svc2 has no Service, so no records at all` },
  },
];
