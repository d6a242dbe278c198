/**
 * The examples of the Kubernetes DNS-Based Service Discovery specification, schema 1.1.0, ported as data:
 * kubernetes/dns docs/specification.md (at 4f2becc8), one case per Question/Answer Example and per "must" the examples
 * leave implicit. The spec asks that its records exist ("the RRs in this document must be a subset of the RRs produced
 * by the implementation", section 3), so a reply passes when it holds every record of the example; TTLs are the
 * implementation's (section 2.1) and not compared.
 */
import type { KubeObject } from "@kube-dns/dev-apiserver";
import { idOf, service, slice } from "./objects.js";
import type { PeerCase } from "./peer-case.js";

/** SERVICE_RANGE puts the dev API server's `kubernetes` service at the spec's 10.3.0.1. */
export const SERVICE_RANGE = "10.3.0.0/24";

/**
 * FIXTURE is the cluster the examples describe together: `kubernetes` (dual-stack, for the IPv6 examples of 2.3),
 * the headless service `headless` with the endpoints of 2.4 (three without hostname, `my-pet` on both families,
 * `my-pet-2`), the ExternalName `foo`, and the two services behind the definitions of 2.1 and 2.4.1's NXDOMAIN.
 * The examples give 10.3.0.1 to both the `kubernetes` cluster IP and a headless endpoint; so does the fixture.
 */
export const FIXTURE: readonly KubeObject[] = [
  service("default", "kubernetes", { clusterIPs: ["10.3.0.1", "2001:db8::1"], ports: [["https", "TCP", 443]] }),
  service("default", "headless", { clusterIPs: ["None"], ports: [["https", "TCP", 443]] }),
  slice("default", "headless", "headless-v4", [{ ip: "10.3.0.1" }, { ip: "10.3.0.2" }, { ip: "10.3.0.3" }, { ip: "10.3.0.100", hostname: "my-pet" }, { ip: "10.3.0.101", hostname: "my-pet-2" }], [["https", "TCP", 443]]),
  slice("default", "headless", "headless-v6", [{ ip: "2001:db8::1", hostname: "my-pet" }, { ip: "2001:db8::2" }, { ip: "2001:db8::3" }], [["https", "TCP", 443]]),
  service("default", "foo", { externalName: "www.example.com" }),
  service("default", "unready", { clusterIPs: ["None"], ports: [["https", "TCP", 443]] }),
  slice("default", "unready", "unready", [{ ip: "10.3.0.200", ready: false }], [["https", "TCP", 443]]),
  service("default", "tolerant", { clusterIPs: ["None"], ports: [["https", "TCP", 443]], annotations: { "service.alpha.kubernetes.io/tolerate-unready-endpoints": "true" } }),
  slice("default", "tolerant", "tolerant", [{ ip: "10.3.0.201", ready: false }], [["https", "TCP", 443]]),
];

/** UPSTREAM is what the world answers for the ExternalName's target, as 2.5's examples show it. */
export const UPSTREAM = { name: "www.example.com", a: "192.0.2.53", aaaa: "2001:db8::1" };

const h = (ip: string): string => `${idOf(ip)}.headless.default.svc.cluster.local.`;
const SRV_WEIGHTS = "priority and weight are not prescribed (2.3.2, 2.4.2): kube-dns gives v1.2's 10 and 10";

/** CASES are the spec's examples in its order. */
export const CASES: readonly PeerCase[] = [
  { from: "2.2 Record for Schema Version", qname: "dns-version.cluster.local.", qtype: "TXT", rcode: "NOERROR", answer: ['dns-version.cluster.local. 28800 IN TXT "1.1.0"'] },
  { from: "2.3.1 A/AAAA Record", qname: "kubernetes.default.svc.cluster.local.", qtype: "A", rcode: "NOERROR", answer: ["kubernetes.default.svc.cluster.local. 4 IN A 10.3.0.1"] },
  { from: "2.3.1 A/AAAA Record", qname: "kubernetes.default.svc.cluster.local.", qtype: "AAAA", rcode: "NOERROR", answer: ["kubernetes.default.svc.cluster.local. 4 IN AAAA 2001:db8::1"] },
  {
    from: "2.3.2 SRV Records", qname: "_https._tcp.kubernetes.default.svc.cluster.local.", qtype: "SRV", rcode: "NOERROR",
    answer: ["_https._tcp.kubernetes.default.svc.cluster.local. 30 IN SRV 10 100 443 kubernetes.default.svc.cluster.local."],
    ours: { answer: ["_https._tcp.kubernetes.default.svc.cluster.local. 30 IN SRV 10 10 443 kubernetes.default.svc.cluster.local."], why: SRV_WEIGHTS },
  },
  { from: "2.3.2 SRV Records (unnamed ports have none)", qname: "_443._tcp.kubernetes.default.svc.cluster.local.", qtype: "SRV", rcode: "NXDOMAIN" },
  { from: "2.3.3 PTR Record", qname: "1.0.3.10.in-addr.arpa.", qtype: "PTR", rcode: "NOERROR", answer: ["1.0.3.10.in-addr.arpa. 14 IN PTR kubernetes.default.svc.cluster.local."] },
  {
    from: "2.3.3 PTR Record (IPv6)", qname: "1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.ip6.arpa.", qtype: "PTR", rcode: "NOERROR",
    answer: ["1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.ip6.arpa. 14 IN PTR kubernetes.default.svc.cluster.local."],
  },
  {
    from: "2.4.1 A/AAAA Records", qname: "headless.default.svc.cluster.local.", qtype: "A", rcode: "NOERROR",
    answer: ["headless.default.svc.cluster.local. 4 IN A 10.3.0.1", "headless.default.svc.cluster.local. 4 IN A 10.3.0.2", "headless.default.svc.cluster.local. 4 IN A 10.3.0.3"],
  },
  {
    from: "2.4.1 A/AAAA Records", qname: "headless.default.svc.cluster.local.", qtype: "AAAA", rcode: "NOERROR",
    answer: ["headless.default.svc.cluster.local. 4 IN AAAA 2001:db8::1", "headless.default.svc.cluster.local. 4 IN AAAA 2001:db8::2", "headless.default.svc.cluster.local. 4 IN AAAA 2001:db8::3"],
  },
  { from: "2.4.1 A/AAAA Records (by hostname)", qname: "my-pet.headless.default.svc.cluster.local.", qtype: "A", rcode: "NOERROR", answer: ["my-pet.headless.default.svc.cluster.local. 4 IN A 10.3.0.100"] },
  { from: "2.4.1 A/AAAA Records (by hostname)", qname: "my-pet.headless.default.svc.cluster.local.", qtype: "AAAA", rcode: "NOERROR", answer: ["my-pet.headless.default.svc.cluster.local. 4 IN AAAA 2001:db8::1"] },
  { from: "2.4.1 A/AAAA Records (no ready endpoints: NXDOMAIN)", qname: "unready.default.svc.cluster.local.", qtype: "A", rcode: "NXDOMAIN" },
  { from: "2.1 Definitions (ready: tolerate-unready-endpoints)", qname: "tolerant.default.svc.cluster.local.", qtype: "A", rcode: "NOERROR", answer: ["tolerant.default.svc.cluster.local. 4 IN A 10.3.0.201"] },
  {
    from: "2.4.2 SRV Records", qname: "_https._tcp.headless.default.svc.cluster.local.", qtype: "SRV", rcode: "NOERROR",
    answer: [
      "_https._tcp.headless.default.svc.cluster.local. 4 IN SRV 10 100 443 my-pet.headless.default.svc.cluster.local.",
      "_https._tcp.headless.default.svc.cluster.local. 4 IN SRV 10 100 443 my-pet-2.headless.default.svc.cluster.local.",
      "_https._tcp.headless.default.svc.cluster.local. 4 IN SRV 10 100 443 438934893.headless.default.svc.cluster.local.",
    ],
    ours: {
      // N x M: one SRV per ready endpoint (7) and named port (1); the example shows three of them.
      answer: ["my-pet.headless.default.svc.cluster.local.", "my-pet-2.headless.default.svc.cluster.local.", ...["10.3.0.1", "10.3.0.2", "10.3.0.3", "2001:db8::2", "2001:db8::3"].map(h)]
        .map((target) => `_https._tcp.headless.default.svc.cluster.local. 30 IN SRV 10 10 443 ${target}`),
      why: `${SRV_WEIGHTS}; the system-assigned identifier (2.1) is v1.2's FNV-1a id of the endpoint's A record, so 438934893 is another label here`,
    },
  },
  { from: "2.4.3 PTR Records", qname: "100.0.3.10.in-addr.arpa.", qtype: "PTR", rcode: "NOERROR", answer: ["100.0.3.10.in-addr.arpa. 14 IN PTR my-pet.headless.default.svc.cluster.local."] },
  {
    from: "2.4.3 PTR Records (IPv6)", qname: "1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.ip6.arpa.", qtype: "PTR", rcode: "NOERROR",
    answer: ["1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.ip6.arpa. 14 IN PTR my-pet.headless.default.svc.cluster.local."],
  },
  { from: "2.4.3 PTR Records (hostname: the system-assigned identifier, 2.1)", qname: "2.0.3.10.in-addr.arpa.", qtype: "PTR", rcode: "NOERROR", answer: [`2.0.3.10.in-addr.arpa. 14 IN PTR ${h("10.3.0.2")}`] },
  {
    from: "2.5 Records for External Name Services", qname: "foo.default.svc.cluster.local.", qtype: "A", rcode: "NOERROR",
    answer: ["foo.default.svc.cluster.local. 10 IN CNAME www.example.com.", "www.example.com. 28715 IN A 192.0.2.53"],
  },
  {
    from: "2.5 Records for External Name Services (IPv6)", qname: "foo.default.svc.cluster.local.", qtype: "AAAA", rcode: "NOERROR",
    answer: ["foo.default.svc.cluster.local. 10 IN CNAME www.example.com.", "www.example.com. 28715 IN AAAA 2001:db8::1"],
  },
  { from: "2.1 Definitions (comparisons are case-insensitive)", qname: "KUBERNETES.Default.SVC.cluster.LOCAL.", qtype: "A", rcode: "NOERROR", answer: ["KUBERNETES.Default.SVC.cluster.LOCAL. 4 IN A 10.3.0.1"] },
];
