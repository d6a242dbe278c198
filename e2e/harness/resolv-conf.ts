/** The DNS policies a pod can have (Kubernetes "DNS for Services and Pods"). */
export type DNSPolicy = "ClusterFirst" | "Default" | "None";

/** PodDNSConfig mirrors a pod's spec.dnsConfig; only used for dnsPolicy None, appended otherwise. */
export interface PodDNSConfig {
  readonly nameservers?: readonly string[];
  readonly searches?: readonly string[];
  readonly options?: readonly { readonly name: string; readonly value?: string }[];
}

/** NodeResolver is the node's own resolv.conf, which Default pods inherit and ClusterFirst pods extend. */
export interface NodeResolver {
  readonly nameservers: readonly string[];
  readonly searches: readonly string[];
}

/** ResolvConfInput is what kubelet knows when it writes a pod's /etc/resolv.conf. */
export interface ResolvConfInput {
  readonly namespace: string;
  readonly dnsPolicy: DNSPolicy;
  readonly clusterDNS: string;
  readonly clusterDomain: string;
  readonly node: NodeResolver;
  readonly dnsConfig?: PodDNSConfig;
}

// glibc reads at most 3 nameservers and 6 search domains (resolv.conf(5)); kubelet trims to the same.
const MAX_NAMESERVERS = 3;
const MAX_SEARCHES = 6;

/**
 * kubeletResolvConf renders a pod's resolv.conf the way kubelet does: ClusterFirst puts the cluster DNS first with
 * `search <ns>.svc.<zone> svc.<zone> <zone>` ahead of the node's searches and `options ndots:5`; Default copies the
 * node; None uses only the pod's dnsConfig. A shorter timeout than glibc's 5 s keeps a failing test quick, and a
 * second attempt rides out a server stalled for a moment on two busy cores.
 */
export function kubeletResolvConf(input: ResolvConfInput): string {
  const zone = input.clusterDomain.replace(/\.$/, "");
  let nameservers: string[] = [];
  let searches: string[] = [];
  const options = new Map<string, string | undefined>();
  if (input.dnsPolicy === "ClusterFirst") {
    nameservers = [input.clusterDNS];
    searches = [`${input.namespace}.svc.${zone}`, `svc.${zone}`, zone, ...input.node.searches];
    options.set("ndots", "5");
  } else if (input.dnsPolicy === "Default") {
    nameservers = [...input.node.nameservers];
    searches = [...input.node.searches];
  }
  for (const server of input.dnsConfig?.nameservers ?? []) nameservers.push(server);
  for (const search of input.dnsConfig?.searches ?? []) searches.push(search);
  for (const option of input.dnsConfig?.options ?? []) options.set(option.name, option.value);
  options.set("timeout", options.get("timeout") ?? "2");
  options.set("attempts", options.get("attempts") ?? "2");
  const lines = [...new Set(nameservers)].slice(0, MAX_NAMESERVERS).map((server) => `nameserver ${server}`);
  const uniqueSearches = [...new Set(searches)].slice(0, MAX_SEARCHES);
  if (uniqueSearches.length > 0) lines.push(`search ${uniqueSearches.join(" ")}`);
  const rendered = [...options].map(([name, value]) => (value === undefined ? name : `${name}:${value}`));
  lines.push(`options ${rendered.join(" ")}`);
  return lines.join("\n") + "\n";
}
