/**
 * The query table of CoreDNS's kubernetes plugin tests, ported as data: coredns/coredns plugin/kubernetes/handler_test.go
 * (commonDnsTestCases, dnsTestCases, nsTestCases, notSyncedTestCases, and the mock cluster APIConnServeTest) and its
 * neighbours handler_pod_verified_test.go, handler_pod_insecure_test.go, handler_pod_disabled_test.go,
 * handler_case_test.go, handler_ignore_emptyservice_test.go and kubernetes_apex_test.go, at commit 4b26cced3.
 * The records are the peer's own strings; TTLs are not compared (CoreDNS's tests run with ttl 5, kube-dns serves
 * v1.2's 30), nor, as CoreDNS's test.Section does not, any SOA field but the owner and MNAME.
 */
import type { KubeObject } from "@kube-dns/dev-apiserver";
import { idOf, pod, service, slice } from "./objects.js";
import type { PeerCase } from "./peer-case.js";

/** The mock cluster of handler_test.go (svcIndex, epsIndex, PodIndex), as the API objects it stands for. */
export const FIXTURE: readonly KubeObject[] = [
  service("kube-system", "kubedns", { clusterIPs: ["10.0.0.10"], ports: [["dns", "UDP", 53]] }),
  service("testns", "svc1", { clusterIPs: ["10.0.0.1"], ports: [["http", "TCP", 80]] }),
  service("testns", "svcempty", { clusterIPs: ["10.0.0.1"], ports: [["http", "TCP", 80]] }),
  service("testns", "svc6", { clusterIPs: ["1234:abcd::1"], ports: [["http", "TCP", 80]] }),
  service("testns", "hdls1", { clusterIPs: ["None"] }),
  service("testns", "external", { externalName: "ext.interwebs.test", ports: [["http", "TCP", 80]] }),
  service("testns", "external-to-service", { externalName: "svc1.testns.svc.cluster.local.", ports: [["http", "TCP", 80]] }),
  service("testns", "hdlsprtls", { clusterIPs: ["None"] }),
  service("unexposedns", "svc1", { clusterIPs: ["10.0.0.2"], ports: [["http", "TCP", 80]] }),
  service("testns", "svc-dual-stack", { clusterIPs: ["10.0.0.3", "10::3"], ports: [["http", "TCP", 80]] }),
  slice("kube-system", "kubedns", "kubedns", [{ ip: "172.0.0.100" }], [["dns", "UDP", 53]]),
  slice("testns", "svc1", "svc1-slice1", [{ ip: "172.0.0.1", hostname: "ep1a" }], [["http", "TCP", 80]]),
  slice("testns", "svcempty", "svcempty-slice1", [], [["http", "TCP", 80]]),
  slice("testns", "hdls1", "hdls1-slice1", [{ ip: "172.0.0.2" }, { ip: "172.0.0.3" }, { ip: "172.0.0.4", hostname: "dup-name" }, { ip: "172.0.0.5", hostname: "dup-name" }], [["http", "TCP", 80]]),
  // One address family per EndpointSlice: the mock's one subset becomes two slices.
  slice("testns", "hdls1", "hdls1-slice1-v6", [{ ip: "5678:abcd::1" }, { ip: "5678:abcd::2" }], [["http", "TCP", 80]]),
  // The mock's port -1 (a slice port without a number) is no port: the endpoint has no SRV.
  slice("testns", "hdlsprtls", "hdlsprtls-slice1", [{ ip: "172.0.0.20" }], []),
  pod("podns", "foo", "10.240.0.1"),
];

/** UPSTREAM is what the test's Upstub answers for the external service's target (a truncated reply over UDP). */
export const UPSTREAM = { name: "ext.interwebs.test", address: "1.2.3.4" };

const SOA = "cluster.local.	5	IN	SOA	ns.dns.cluster.local. hostmaster.cluster.local. 1499347823 7200 1800 86400 5";
const SRV_WEIGHTS = "v1.2's SRV records carry priority 10 and weight 10 (the spec leaves both open); CoreDNS writes 0 and shares of 100";
const IDENTIFIER = "an endpoint without a hostname is named by v1.2's identifier, the FNV-1a id of its A record (the spec leaves the form open), not its dashed address";
const h = (ip: string): string => `${idOf(ip)}.hdls1.testns.svc.cluster.local.`;

/** CASES are commonDnsTestCases, then dnsTestCases, of handler_test.go, in its order. */
export const CASES: readonly PeerCase[] = [
  { from: "commonDnsTestCases", qname: "svc1.testns.svc.cluster.local.", qtype: "A", rcode: "NOERROR", answer: ["svc1.testns.svc.cluster.local.	5	IN	A	10.0.0.1"] },
  { from: "commonDnsTestCases", qname: "svcempty.testns.svc.cluster.local.", qtype: "A", rcode: "NOERROR", answer: ["svcempty.testns.svc.cluster.local.	5	IN	A	10.0.0.1"] },
  {
    from: "commonDnsTestCases", qname: "svc1.testns.svc.cluster.local.", qtype: "SRV", rcode: "NOERROR",
    answer: ["svc1.testns.svc.cluster.local.	5	IN	SRV	0 100 80 svc1.testns.svc.cluster.local."], extra: ["svc1.testns.svc.cluster.local.  5       IN      A       10.0.0.1"],
    ours: { answer: ["svc1.testns.svc.cluster.local. 30 IN SRV 10 10 80 svc1.testns.svc.cluster.local."], why: SRV_WEIGHTS },
  },
  {
    from: "commonDnsTestCases", qname: "svcempty.testns.svc.cluster.local.", qtype: "SRV", rcode: "NOERROR",
    answer: ["svcempty.testns.svc.cluster.local.	5	IN	SRV	0 100 80 svcempty.testns.svc.cluster.local."], extra: ["svcempty.testns.svc.cluster.local.  5       IN      A       10.0.0.1"],
    ours: { answer: ["svcempty.testns.svc.cluster.local. 30 IN SRV 10 10 80 svcempty.testns.svc.cluster.local."], why: SRV_WEIGHTS },
  },
  {
    from: "commonDnsTestCases", qname: "svc6.testns.svc.cluster.local.", qtype: "SRV", rcode: "NOERROR",
    answer: ["svc6.testns.svc.cluster.local.	5	IN	SRV	0 100 80 svc6.testns.svc.cluster.local."], extra: ["svc6.testns.svc.cluster.local.  5       IN      AAAA       1234:abcd::1"],
    ours: { answer: ["svc6.testns.svc.cluster.local. 30 IN SRV 10 10 80 svc6.testns.svc.cluster.local."], why: SRV_WEIGHTS },
  },
  {
    from: "commonDnsTestCases", qname: "_http._tcp.svc1.testns.svc.cluster.local.", qtype: "SRV", rcode: "NOERROR",
    answer: ["_http._tcp.svc1.testns.svc.cluster.local.	5	IN	SRV	0 100 80 svc1.testns.svc.cluster.local."], extra: ["svc1.testns.svc.cluster.local.	5	IN	A	10.0.0.1"],
    ours: { answer: ["_http._tcp.svc1.testns.svc.cluster.local. 30 IN SRV 10 10 80 svc1.testns.svc.cluster.local."], why: SRV_WEIGHTS },
  },
  {
    from: "commonDnsTestCases", qname: "_http._tcp.svcempty.testns.svc.cluster.local.", qtype: "SRV", rcode: "NOERROR",
    answer: ["_http._tcp.svcempty.testns.svc.cluster.local.	5	IN	SRV	0 100 80 svcempty.testns.svc.cluster.local."], extra: ["svcempty.testns.svc.cluster.local.	5	IN	A	10.0.0.1"],
    ours: { answer: ["_http._tcp.svcempty.testns.svc.cluster.local. 30 IN SRV 10 10 80 svcempty.testns.svc.cluster.local."], why: SRV_WEIGHTS },
  },
  {
    from: "commonDnsTestCases", qname: "hdls1.testns.svc.cluster.local.", qtype: "A", rcode: "NOERROR",
    answer: ["172.0.0.2", "172.0.0.3", "172.0.0.4", "172.0.0.5"].map((ip) => `hdls1.testns.svc.cluster.local.	5	IN	A	${ip}`),
  },
  { from: "commonDnsTestCases", qname: "hdlsprtls.testns.svc.cluster.local.", qtype: "A", rcode: "NOERROR", answer: ["hdlsprtls.testns.svc.cluster.local.	5	IN	A	172.0.0.20"] },
  { from: "commonDnsTestCases", qname: "svc1.testns.svc.cluster.local.", qtype: "AAAA", rcode: "NOERROR", ns: [SOA] },
  { from: "commonDnsTestCases", qname: "svc0.testns.svc.cluster.local.", qtype: "AAAA", rcode: "NXDOMAIN", ns: [SOA] },
  { from: "commonDnsTestCases", qname: "svc0.testns.svc.cluster.local.", qtype: "A", rcode: "NXDOMAIN", ns: [SOA] },
  { from: "commonDnsTestCases", qname: "svc0.svc-nons.svc.cluster.local.", qtype: "A", rcode: "NXDOMAIN", ns: [SOA] },
  { from: "commonDnsTestCases", qname: "dns-version.cluster.local.", qtype: "TXT", rcode: "NOERROR", answer: ["dns-version.cluster.local 28800 IN TXT 1.1.0"] },
  { from: "commonDnsTestCases", qname: "svc1.testns.svc.cluster.local.", qtype: "TXT", rcode: "NOERROR", ns: [SOA] },
  { from: "commonDnsTestCases", qname: "svc0.svc-nons.svc.cluster.local.", qtype: "TXT", rcode: "NXDOMAIN", ns: [SOA] },
  { from: "commonDnsTestCases", qname: "bogusendpoint.hdls1.testns.svc.cluster.local.", qtype: "A", rcode: "NXDOMAIN", ns: [SOA] },
  { from: "commonDnsTestCases", qname: "bogusendpoint.svc0.testns.svc.cluster.local.", qtype: "A", rcode: "NXDOMAIN", ns: [SOA] },
  { from: "commonDnsTestCases", qname: "svc6.testns.svc.cluster.local.", qtype: "AAAA", rcode: "NOERROR", answer: ["svc6.testns.svc.cluster.local.	5	IN	AAAA	1234:abcd::1"] },
  {
    from: "commonDnsTestCases", qname: "_http._tcp.svc6.testns.svc.cluster.local.", qtype: "SRV", rcode: "NOERROR",
    answer: ["_http._tcp.svc6.testns.svc.cluster.local.	5	IN	SRV	0 100 80 svc6.testns.svc.cluster.local."], extra: ["svc6.testns.svc.cluster.local.	5	IN	AAAA	1234:abcd::1"],
    ours: { answer: ["_http._tcp.svc6.testns.svc.cluster.local. 30 IN SRV 10 10 80 svc6.testns.svc.cluster.local."], why: SRV_WEIGHTS },
  },
  { from: "commonDnsTestCases", qname: "hdls1.testns.svc.cluster.local.", qtype: "AAAA", rcode: "NOERROR", answer: ["5678:abcd::1", "5678:abcd::2"].map((ip) => `hdls1.testns.svc.cluster.local.	5	IN	AAAA	${ip}`) },
  { from: "commonDnsTestCases", qname: "svc.cluster.local.", qtype: "A", rcode: "NOERROR", ns: [SOA] },
  { from: "commonDnsTestCases", qname: "pod.cluster.local.", qtype: "A", rcode: "NOERROR", ns: [SOA] },
  { from: "commonDnsTestCases", qname: "testns.svc.cluster.local.", qtype: "A", rcode: "NOERROR", ns: [SOA] },
  { from: "commonDnsTestCases", qname: "svc.cluster.local.", qtype: "NS", rcode: "NOERROR", ns: [SOA] },
  { from: "commonDnsTestCases", qname: "testns.svc.cluster.local.", qtype: "NS", rcode: "NOERROR", ns: [SOA] },
  { from: "commonDnsTestCases", qname: "foo.cluster.local.", qtype: "NS", rcode: "NXDOMAIN", ns: [SOA] },
  { from: "commonDnsTestCases", qname: "foo.svc.cluster.local.", qtype: "NS", rcode: "NXDOMAIN", ns: [SOA] },
  { from: "commonDnsTestCases", qname: "svc-dual-stack.testns.svc.cluster.local.", qtype: "A", rcode: "NOERROR", answer: ["svc-dual-stack.testns.svc.cluster.local.	5	IN	A	10.0.0.3"] },
  { from: "commonDnsTestCases", qname: "svc-dual-stack.testns.svc.cluster.local.", qtype: "AAAA", rcode: "NOERROR", answer: ["svc-dual-stack.testns.svc.cluster.local.	5	IN	AAAA	10::3"] },
  {
    from: "commonDnsTestCases", qname: "svc-dual-stack.testns.svc.cluster.local.", qtype: "SRV", rcode: "NOERROR",
    answer: ["svc-dual-stack.testns.svc.cluster.local.	5	IN	SRV	0 50 80 svc-dual-stack.testns.svc.cluster.local."],
    extra: ["svc-dual-stack.testns.svc.cluster.local.  5       IN      A       10.0.0.3", "svc-dual-stack.testns.svc.cluster.local.  5       IN      AAAA       10::3"],
    ours: { answer: ["svc-dual-stack.testns.svc.cluster.local. 30 IN SRV 10 10 80 svc-dual-stack.testns.svc.cluster.local."], why: SRV_WEIGHTS },
  },
  { from: "commonDnsTestCases", qname: "svc1.testns.svc.cluster.local.", qtype: "SOA", rcode: "NOERROR", ns: [SOA] },
  { from: "commonDnsTestCases", qname: "endpoint.external.testns.svc.cluster.local.", qtype: "CNAME", rcode: "NXDOMAIN", ns: [SOA] },
  { from: "commonDnsTestCases", qname: "subdomain.subdomain.external.testns.svc.cluster.local.", qtype: "CNAME", rcode: "NXDOMAIN", ns: [SOA] },
  {
    from: "dnsTestCases", qname: "_http._tcp.hdls1.testns.svc.cluster.local.", qtype: "SRV", rcode: "NOERROR",
    answer: ["172-0-0-2", "172-0-0-3", "5678-abcd--1", "5678-abcd--2", "dup-name"].map((label) => `_http._tcp.hdls1.testns.svc.cluster.local.	5	IN	SRV	0 16 80 ${label}.hdls1.testns.svc.cluster.local.`),
    extra: [
      "172-0-0-2.hdls1.testns.svc.cluster.local.	5	IN	A	172.0.0.2", "172-0-0-3.hdls1.testns.svc.cluster.local.	5	IN	A	172.0.0.3",
      "5678-abcd--1.hdls1.testns.svc.cluster.local.	5	IN	AAAA	5678:abcd::1", "5678-abcd--2.hdls1.testns.svc.cluster.local.	5	IN	AAAA	5678:abcd::2",
      "dup-name.hdls1.testns.svc.cluster.local.	5	IN	A	172.0.0.4", "dup-name.hdls1.testns.svc.cluster.local.	5	IN	A	172.0.0.5",
    ],
    ours: {
      answer: [h("172.0.0.2"), h("172.0.0.3"), h("5678:abcd::1"), h("5678:abcd::2"), "dup-name.hdls1.testns.svc.cluster.local."].map((target) => `_http._tcp.hdls1.testns.svc.cluster.local. 30 IN SRV 10 10 80 ${target}`),
      extra: [
        `${h("172.0.0.2")} 30 IN A 172.0.0.2`, `${h("172.0.0.3")} 30 IN A 172.0.0.3`, `${h("5678:abcd::1")} 30 IN AAAA 5678:abcd::1`, `${h("5678:abcd::2")} 30 IN AAAA 5678:abcd::2`,
        "dup-name.hdls1.testns.svc.cluster.local. 30 IN A 172.0.0.4", "dup-name.hdls1.testns.svc.cluster.local. 30 IN A 172.0.0.5",
      ],
      why: `${SRV_WEIGHTS}; ${IDENTIFIER}`,
    },
  },
  {
    from: "dnsTestCases", qname: "hdls1.testns.svc.cluster.local.", qtype: "A", rcode: "NOERROR",
    answer: ["172.0.0.2", "172.0.0.3", "172.0.0.4", "172.0.0.5"].map((ip) => `hdls1.testns.svc.cluster.local.	5	IN	A	${ip}`),
  },
  {
    from: "dnsTestCases", qname: "5678-abcd--2.hdls1.testns.svc.cluster.local", qtype: "AAAA", rcode: "NOERROR", answer: ["5678-abcd--2.hdls1.testns.svc.cluster.local.	5	IN	AAAA	5678:abcd::2"],
    ours: { qname: h("5678:abcd::2"), answer: [`${h("5678:abcd::2")} 30 IN AAAA 5678:abcd::2`], why: IDENTIFIER },
  },
  {
    from: "dnsTestCases", qname: "5678-abcd--1.hdls1.testns.svc.cluster.local.", qtype: "AAAA", rcode: "NOERROR", answer: ["5678-abcd--1.hdls1.testns.svc.cluster.local.	5	IN	AAAA	5678:abcd::1"],
    ours: { qname: h("5678:abcd::1"), answer: [`${h("5678:abcd::1")} 30 IN AAAA 5678:abcd::1`], why: IDENTIFIER },
  },
  {
    from: "dnsTestCases", qname: "172-0-0-20.hdlsprtls.testns.svc.cluster.local.", qtype: "A", rcode: "NOERROR", answer: ["172-0-0-20.hdlsprtls.testns.svc.cluster.local.	5	IN	A	172.0.0.20"],
    ours: { qname: `${idOf("172.0.0.20")}.hdlsprtls.testns.svc.cluster.local.`, answer: [`${idOf("172.0.0.20")}.hdlsprtls.testns.svc.cluster.local. 30 IN A 172.0.0.20`], why: IDENTIFIER },
  },
  {
    from: "dnsTestCases", qname: "172-0-0-2.hdls1.testns.svc.cluster.local.", qtype: "A", rcode: "NOERROR", answer: ["172-0-0-2.hdls1.testns.svc.cluster.local.	5	IN	A	172.0.0.2"],
    ours: { qname: h("172.0.0.2"), answer: [`${h("172.0.0.2")} 30 IN A 172.0.0.2`], why: IDENTIFIER },
  },
  {
    from: "dnsTestCases", qname: "172-0-0-3.hdls1.testns.svc.cluster.local.", qtype: "A", rcode: "NOERROR", answer: ["172-0-0-3.hdls1.testns.svc.cluster.local.	5	IN	A	172.0.0.3"],
    ours: { qname: h("172.0.0.3"), answer: [`${h("172.0.0.3")} 30 IN A 172.0.0.3`], why: IDENTIFIER },
  },
  {
    from: "dnsTestCases", qname: "dup-name.hdls1.testns.svc.cluster.local.", qtype: "A", rcode: "NOERROR",
    answer: ["dup-name.hdls1.testns.svc.cluster.local.	5	IN	A	172.0.0.4", "dup-name.hdls1.testns.svc.cluster.local.	5	IN	A	172.0.0.5"],
  },
  { from: "dnsTestCases", qname: "external.testns.svc.cluster.local.", qtype: "CNAME", rcode: "NOERROR", answer: ["external.testns.svc.cluster.local.	5	IN	CNAME	ext.interwebs.test."] },
  {
    from: "dnsTestCases (CNAME External Truncated Lookup)", qname: "external.testns.svc.cluster.local.", qtype: "A", rcode: "NOERROR",
    answer: ["ext.interwebs.test.	5	IN	A	1.2.3.4", "external.testns.svc.cluster.local.	5	IN	CNAME	ext.interwebs.test."],
    // The peer expects the same records with TC set, the upstream's truncation relayed.
    ours: { why: "the records are the same, but skydns asks a truncating upstream again over TCP and sets no TC (README, Bugs)" },
  },
  {
    from: "dnsTestCases", qname: "external-to-service.testns.svc.cluster.local", qtype: "A", rcode: "NOERROR",
    answer: ["external-to-service.testns.svc.cluster.local.	5	IN	CNAME	svc1.testns.svc.cluster.local.", "svc1.testns.svc.cluster.local.	5	IN	A	10.0.0.1"],
  },
  { from: "nsTestCases", qname: "svc1.testns.svc.cluster.local.", qtype: "A", rcode: "NOERROR", answer: ["svc1.testns.svc.cluster.local.	5	IN	A	10.0.0.1"] },
  { from: "nsTestCases", qname: "svc1.nsnoexist.svc.cluster.local.", qtype: "A", rcode: "NXDOMAIN", ns: ["cluster.local.	300	IN	SOA	ns.dns.cluster.local. hostmaster.cluster.local. 1551484803 7200 1800 86400 30"] },
];
