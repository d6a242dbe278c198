/**
 * The neighbours of handler_test.go in coredns/coredns plugin/kubernetes (commit 4b26cced3), ported as data, all on
 * handler_test.go's mock cluster (coredns-handler.cases.ts's FIXTURE): handler_pod_verified_test.go,
 * handler_pod_insecure_test.go, handler_pod_disabled_test.go, handler_case_test.go, handler_ignore_emptyservice_test.go,
 * kubernetes_apex_test.go, and handler_test.go's notSyncedTestCases. TTLs and SOA fields other than the MNAME are
 * not compared, as in coredns-handler.cases.ts.
 */
import type { PeerCase } from "./peer-case.js";

const SOA = "cluster.local.	5	IN	SOA	ns.dns.cluster.local. hostmaster.cluster.local. 1499347823 7200 1800 86400 5";
const NAMESPACES = "kube-dns knows a namespace only by the records in it (v1.2); CoreDNS asks the API server whether it exists";
const LOWERCASE = "the question's own name keeps its letter case (RFC 4343), but names it did not spell (the SOA's owner and MNAME, SRV targets) are written as the zone holds them, lowercase, as v1.2 did; CoreDNS writes the zone part in the question's case";
const VERIFIED = "kube2sky writes pod records from the pods it watches, as v1.2 did: CoreDNS's `pods verified`, not `pods insecure`, which answers any dashed address";

/** POD_VERIFIED is handler_pod_verified_test.go's podModeVerifiedCases. */
export const POD_VERIFIED: readonly PeerCase[] = [
  { from: "podModeVerifiedCases", qname: "10-240-0-1.podns.pod.cluster.local.", qtype: "A", rcode: "NOERROR", answer: ["10-240-0-1.podns.pod.cluster.local.	5	IN	A	10.240.0.1"] },
  { from: "podModeVerifiedCases", qname: "podns.pod.cluster.local.", qtype: "A", rcode: "NOERROR", ns: [SOA] },
  { from: "podModeVerifiedCases", qname: "svcns.svc.cluster.local.", qtype: "A", rcode: "NOERROR", ns: [SOA], ours: { rcode: "NXDOMAIN", why: NAMESPACES } },
  { from: "podModeVerifiedCases", qname: "pod-nons.pod.cluster.local.", qtype: "A", rcode: "NXDOMAIN", ns: [SOA] },
  { from: "podModeVerifiedCases", qname: "172-0-0-2.podns.pod.cluster.local.", qtype: "A", rcode: "NXDOMAIN", ns: [SOA] },
];

/** POD_INSECURE is handler_pod_insecure_test.go's podModeInsecureCases. */
export const POD_INSECURE: readonly PeerCase[] = [
  { from: "podModeInsecureCases", qname: "10-240-0-1.podns.pod.cluster.local.", qtype: "A", rcode: "NOERROR", answer: ["10-240-0-1.podns.pod.cluster.local.	5	IN	A	10.240.0.1"] },
  {
    from: "podModeInsecureCases", qname: "172-0-0-2.podns.pod.cluster.local.", qtype: "A", rcode: "NOERROR", answer: ["172-0-0-2.podns.pod.cluster.local.	5	IN	A	172.0.0.2"],
    ours: { rcode: "NXDOMAIN", answer: [], ns: [SOA], why: VERIFIED },
  },
  { from: "podModeInsecureCases", qname: "blah.podns.pod.cluster.local.", qtype: "A", rcode: "NXDOMAIN", ns: [SOA] },
  { from: "podModeInsecureCases", qname: "blah.podns.pod.cluster.local.", qtype: "AAAA", rcode: "NXDOMAIN", ns: [SOA] },
  { from: "podModeInsecureCases", qname: "blah.podns.pod.cluster.local.", qtype: "HINFO", rcode: "NXDOMAIN", ns: [SOA] },
  { from: "podModeInsecureCases", qname: "blah.pod-nons.pod.cluster.local.", qtype: "A", rcode: "NXDOMAIN", ns: [SOA] },
  { from: "podModeInsecureCases", qname: "podns.pod.cluster.local.", qtype: "A", rcode: "NOERROR", ns: [SOA] },
];

/** POD_DISABLED is handler_pod_disabled_test.go's podModeDisabledCases: kube2sky with --pods=false. */
export const POD_DISABLED: readonly PeerCase[] = [
  { from: "podModeDisabledCases", qname: "10-240-0-1.podns.pod.cluster.local.", qtype: "A", rcode: "NXDOMAIN", ns: [SOA] },
  { from: "podModeDisabledCases", qname: "172-0-0-2.podns.pod.cluster.local.", qtype: "A", rcode: "NXDOMAIN", ns: [SOA] },
];

/** PRESERVE_CASE is handler_case_test.go's dnsPreserveCaseCases (RFC 4343). */
export const PRESERVE_CASE: readonly PeerCase[] = [
  {
    from: "dnsPreserveCaseCases", qname: "not-a-service.testns.svc.ClUsTeR.lOcAl.", qtype: "A", rcode: "NXDOMAIN", ns: ["ClUsTeR.lOcAl.	5	IN	SOA	ns.dns.ClUsTeR.lOcAl. hostmaster.ClUsTeR.lOcAl. 1499347823 7200 1800 86400 5"],
    ours: { ns: [SOA], why: LOWERCASE },
  },
  { from: "dnsPreserveCaseCases", qname: "SvC1.TeStNs.SvC.cLuStEr.LoCaL.", qtype: "A", rcode: "NOERROR", answer: ["SvC1.TeStNs.SvC.cLuStEr.LoCaL.	5	IN	A	10.0.0.1"] },
  {
    from: "dnsPreserveCaseCases", qname: "_HtTp._TcP.sVc1.TeStNs.SvC.cLuStEr.LoCaL.", qtype: "SRV", rcode: "NOERROR",
    answer: ["_HtTp._TcP.sVc1.TeStNs.SvC.cLuStEr.LoCaL.	5	IN	SRV	0 100 80 svc1.testns.svc.cLuStEr.LoCaL."], extra: ["svc1.testns.svc.cLuStEr.LoCaL.	5	IN	A	10.0.0.1"],
    ours: {
      answer: ["_HtTp._TcP.sVc1.TeStNs.SvC.cLuStEr.LoCaL. 30 IN SRV 10 10 80 svc1.testns.svc.cluster.local."], extra: ["svc1.testns.svc.cluster.local. 30 IN A 10.0.0.1"],
      why: `${LOWERCASE}; and v1.2's priority 10, weight 10`,
    },
  },
  {
    from: "dnsPreserveCaseCases", qname: "Cluster.local.", qtype: "SOA", rcode: "NOERROR", answer: ["Cluster.local.	5	IN	SOA	ns.dns.Cluster.local. hostmaster.Cluster.local. 1499347823 7200 1800 86400 5"],
    ours: { answer: ["Cluster.local. 30 IN SOA ns.dns.cluster.local. hostmaster.cluster.local. 0 28800 7200 604800 30"], why: LOWERCASE },
  },
];

/** IGNORE_EMPTY is handler_ignore_emptyservice_test.go's dnsEmptyServiceTestCases (CoreDNS's ignore_empty_service option). */
export const IGNORE_EMPTY: readonly PeerCase[] = [
  {
    from: "dnsEmptyServiceTestCases", qname: "svcempty.testns.svc.cluster.local.", qtype: "A", rcode: "NXDOMAIN", ns: [SOA],
    ours: { rcode: "NOERROR", answer: ["svcempty.testns.svc.cluster.local. 30 IN A 10.0.0.1"], ns: [], why: "kube-dns has no ignore_empty_service: a service with a cluster IP answers it whatever its endpoints, as v1.2 and the spec (2.3.1) say" },
  },
  { from: "dnsEmptyServiceTestCases", qname: "external.testns.svc.cluster.local.", qtype: "CNAME", rcode: "NOERROR", answer: ["external.testns.svc.cluster.local.	5	IN	CNAME	ext.interwebs.test."] },
];

/** APEX is kubernetes_apex_test.go's kubeApexCases, with the server's address 127.0.0.1 (skydns's --ns-address). */
export const APEX: readonly PeerCase[] = [
  { from: "kubeApexCases", qname: "cluster.local.", qtype: "SOA", rcode: "NOERROR", answer: [SOA] },
  { from: "kubeApexCases", qname: "cluster.local.", qtype: "HINFO", rcode: "NOERROR", ns: [SOA] },
  { from: "kubeApexCases", qname: "cluster.local.", qtype: "NS", rcode: "NOERROR", answer: ["cluster.local. 5     IN      NS     ns.dns.cluster.local."], extra: ["ns.dns.cluster.local.   5       IN      A       127.0.0.1"] },
  { from: "kubeApexCases", qname: "cluster.local.", qtype: "A", rcode: "NOERROR", ns: [SOA] },
  { from: "kubeApexCases", qname: "cluster.local.", qtype: "AAAA", rcode: "NOERROR", ns: [SOA] },
  { from: "kubeApexCases", qname: "cluster.local.", qtype: "SRV", rcode: "NOERROR", ns: [SOA] },
];

/** NOT_SYNCED is handler_test.go's notSyncedTestCases: a query before the records are loaded. */
export const NOT_SYNCED: readonly PeerCase[] = [
  {
    from: "notSyncedTestCases", qname: "svc0.testns.svc.cluster.local.", qtype: "A", rcode: "SERVFAIL", ns: [SOA],
    ours: { ns: [], why: "skydns's SERVFAIL before its first read of etcd carries no SOA: it has not read the zone it would describe" },
  },
];
