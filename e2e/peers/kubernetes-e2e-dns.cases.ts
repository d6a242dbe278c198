/**
 * The Kubernetes e2e DNS tests, ported as data: kubernetes/kubernetes test/e2e/network/dns.go (the `DNS` Its every
 * conformant cluster passes) with the probes of dns_common.go's createProbeCommand, in its releases that also probe
 * the pod's own A record (`podARec=$(hostname -i | awk ...)`, the `PodARecord` files) and createTargetedProbeCommand.
 * Each probe is the same command the e2e's querier container runs, from a pod of the test's namespace:
 * `dig +notcp +noall +answer +search NAME TYPE` and the same with `+tcp`, passing when it prints anything;
 * `getent hosts NAME`; and `dig +short NAME TYPE` compared with a value. `{ns}` stands for the test's namespace.
 */
import type { PodDNSConfig } from "../harness/resolv-conf.js";

/** ServiceSpec is e2eservice.CreateServiceSpec(name, externalName, isHeadless, selector): port 80 `http`, or an ExternalName. */
export interface ServiceSpec {
  readonly name: string;
  readonly externalName?: string;
  readonly headless?: boolean;
  readonly selector?: Readonly<Record<string, string>>;
}

/** ProbePod is createDNSPod's pod: hostname and subdomain, and what the It adds (labels, DNS config). */
export interface ProbePod {
  readonly labels?: Readonly<Record<string, string>>;
  readonly hostname: string;
  readonly subdomain: string;
  readonly dnsConfig?: PodDNSConfig;
}

/** DnsTest is one It of dns.go whose probes are DNS questions. */
export interface DnsTest {
  /** The It's title in dns.go. */
  readonly it: string;
  readonly services: readonly ServiceSpec[];
  readonly pod: ProbePod;
  /** namesToResolve: A, or SRV for a name that starts with `_`. */
  readonly names: readonly string[];
  /** hostEntries that DNS answers (getent hosts). */
  readonly hostEntries?: readonly string[];
  /** The service whose cluster IP gets the PTR probe (ptrLookupIP). */
  readonly ptrOf?: string;
  /** What of the It is not a question to DNS, and so not ported. */
  readonly leftOut?: string;
}

const HOSTS_FILE = "hostEntries also names the bare hostname and the pod's own FQDN, which kubelet writes into the pod's /etc/hosts: not DNS";
const DNS_TEST = { "dns-test": "true" };
const HOSTNAME_ATTRIBUTE = { "dns-test-hostname-attribute": "true" };
const QUERIER_1 = { hostname: "dns-querier-1", subdomain: "dns-test-service" };

/** TESTS are dns.go's Its whose probes ask DNS, in its order. */
export const TESTS: readonly DnsTest[] = [
  { it: "should provide DNS for the cluster", services: [], pod: QUERIER_1, names: ["kubernetes.default.svc.cluster.local"] },
  { it: "should resolve DNS of partial qualified names for the cluster [LinuxOnly]", services: [], pod: QUERIER_1, names: ["kubernetes.default", "kubernetes.default.svc"], leftOut: HOSTS_FILE },
  {
    it: "should provide DNS for services",
    services: [{ name: "dns-test-service", headless: true, selector: DNS_TEST }, { name: "test-service-2", selector: DNS_TEST }],
    pod: { ...QUERIER_1, labels: DNS_TEST },
    names: ["dns-test-service.{ns}.svc.cluster.local", "_http._tcp.dns-test-service.{ns}.svc.cluster.local", "_http._tcp.test-service-2.{ns}.svc.cluster.local"],
    ptrOf: "test-service-2",
  },
  {
    it: "should resolve DNS of partial qualified names for services [LinuxOnly]",
    services: [{ name: "dns-test-service", headless: true, selector: DNS_TEST }, { name: "test-service-2", selector: DNS_TEST }],
    pod: { ...QUERIER_1, labels: DNS_TEST },
    names: ["dns-test-service", "dns-test-service.{ns}", "dns-test-service.{ns}.svc", "_http._tcp.dns-test-service.{ns}.svc", "_http._tcp.test-service-2.{ns}.svc"],
    ptrOf: "test-service-2",
  },
  {
    it: "should provide DNS for pods for Hostname",
    services: [{ name: "dns-test-service-2", headless: true, selector: HOSTNAME_ATTRIBUTE }],
    pod: { hostname: "dns-querier-2", subdomain: "dns-test-service-2", labels: HOSTNAME_ATTRIBUTE },
    names: [],
    hostEntries: ["dns-querier-2.dns-test-service-2.{ns}.svc.cluster.local"],
    leftOut: "the bare hostname dns-querier-2 comes from the pod's /etc/hosts (kubelet), not DNS",
  },
  {
    it: "should provide DNS for pods for Subdomain",
    services: [{ name: "dns-test-service-2", headless: true, selector: HOSTNAME_ATTRIBUTE }],
    pod: { hostname: "dns-querier-2", subdomain: "dns-test-service-2", labels: HOSTNAME_ATTRIBUTE },
    names: ["dns-querier-2.dns-test-service-2.{ns}.svc.cluster.local", "dns-test-service-2.{ns}.svc.cluster.local"],
  },
  {
    it: "should work with the pod containing more than 6 DNS search paths and longer than 256 search list characters",
    services: [],
    pod: { ...QUERIER_1, dnsConfig: { searches: [1, 2, 3, 4, 5, 6].map((i) => `${String(i).padStart(38, "0")}.k8s.io`), options: [{ name: "ndots", value: "5" }] } },
    names: ["kubernetes.default", "kubernetes.default.svc"],
    leftOut: `${HOSTS_FILE}; the pod's resolv.conf keeps glibc's classic 6 search domains here (kubelet since 1.28 keeps 32), the cluster's three first`,
  },
  {
    it: "should work with a search path containing an underscore and a search path with a single dot",
    services: [],
    pod: { ...QUERIER_1, dnsConfig: { searches: [".", "_sip._tcp.abc_d.example.com"] } },
    names: ["kubernetes.default", "kubernetes.default.svc"],
    leftOut: HOSTS_FILE,
  },
];

/** ExternalNameStep is one stage of "should provide DNS for ExternalName services": the service as updated, and `dig +short` of it. */
export interface ExternalNameStep {
  readonly spec: Readonly<Record<string, unknown>>;
  readonly type: "CNAME" | "A";
  /** What `dig +short` prints; `{clusterIP}` is the service's cluster IP once it has one. */
  readonly expect: string;
}

/** EXTERNAL_NAME is dns.go's "should provide DNS for ExternalName services": dns-test-service-3, updated twice. */
export const EXTERNAL_NAME: { readonly it: string; readonly service: string; readonly steps: readonly ExternalNameStep[] } = {
  it: "should provide DNS for ExternalName services",
  service: "dns-test-service-3",
  steps: [
    { spec: { type: "ExternalName", externalName: "foo.example.com" }, type: "CNAME", expect: "foo.example.com." },
    { spec: { type: "ExternalName", externalName: "bar.example.com" }, type: "CNAME", expect: "bar.example.com." },
    { spec: { type: "ClusterIP", externalName: null, ports: [{ port: 80, name: "http", protocol: "TCP" }] }, type: "A", expect: "{clusterIP}" },
  ],
};

/** NOT_PORTED are dns.go's Its that ask nothing of the DNS server, with why. */
export const NOT_PORTED: readonly string[] = [
  "should provide /etc/hosts entries for the cluster: kubelet's /etc/hosts",
  "should support configurable pod DNS nameservers: kubelet's resolv.conf from dnsConfig",
  "should support configurable pod resolv.conf: a CoreDNS of the test's own answers",
  "should work with a service name that starts with a digit: behind the RelaxedServiceNameValidation feature gate",
  "DNS HostNetwork: hostNetwork pods and spec.hostname, kubelet's",
];
