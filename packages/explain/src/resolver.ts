/** The DNS policies a pod can have (Kubernetes "DNS for Services and Pods"). */
export type DNSPolicy = "ClusterFirst" | "Default" | "None";

/** ResolverOption is one word of resolv.conf's `options` line: `ndots:5` is { name: "ndots", value: "5" }. */
export interface ResolverOption {
  readonly name: string;
  readonly value?: string;
}

/** PodDNSConfig mirrors a pod's spec.dnsConfig; the whole resolver for dnsPolicy None, appended otherwise. */
export interface PodDNSConfig {
  readonly nameservers?: readonly string[];
  readonly searches?: readonly string[];
  readonly options?: readonly ResolverOption[];
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
  readonly dnsConfig?: PodDNSConfig | undefined;
}

/** PodResolver is a pod's resolv.conf as values: its nameservers, search list and options, in file order. */
export interface PodResolver {
  readonly nameservers: readonly string[];
  readonly searches: readonly string[];
  readonly options: readonly ResolverOption[];
}

// glibc reads at most 3 nameservers and 6 search domains (resolv.conf(5)); kubelet trims to the same.
const MAX_NAMESERVERS = 3;
const MAX_SEARCHES = 6;
// resolv.conf(5): ndots defaults to 1 and is capped at 15.
const DEFAULT_NDOTS = 1;
const MAX_NDOTS = 15;

/**
 * kubeletResolver is the resolver kubelet writes for a pod: ClusterFirst puts the cluster DNS first with
 * `search <ns>.svc.<zone> svc.<zone> <zone>` ahead of the node's searches and `options ndots:5`; Default copies the
 * node; None uses only the pod's dnsConfig, which the other two append (an option of the same name replaces).
 */
export function kubeletResolver(input: ResolvConfInput): PodResolver {
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
  return {
    nameservers: [...new Set(nameservers)].slice(0, MAX_NAMESERVERS),
    searches: [...new Set(searches)].slice(0, MAX_SEARCHES),
    options: [...options].map(([name, value]) => (value === undefined ? { name } : { name, value })),
  };
}

/** withOptionDefaults adds each option of defaults the resolver does not set already, after its own. */
export function withOptionDefaults(resolver: PodResolver, defaults: readonly ResolverOption[]): PodResolver {
  const missing = defaults.filter((option) => !resolver.options.some((own) => own.name === option.name));
  return { ...resolver, options: [...resolver.options, ...missing] };
}

/** formatResolvConf renders a resolver as the /etc/resolv.conf text kubelet writes. */
export function formatResolvConf(resolver: PodResolver): string {
  const lines = resolver.nameservers.map((server) => `nameserver ${server}`);
  if (resolver.searches.length > 0) lines.push(`search ${resolver.searches.join(" ")}`);
  const options = resolver.options.map((option) => (option.value === undefined ? option.name : `${option.name}:${option.value}`));
  if (options.length > 0) lines.push(`options ${options.join(" ")}`);
  return lines.join("\n") + "\n";
}

/** ndotsOf is the resolver's ndots: its option, or glibc's default of 1; glibc caps it at 15. */
export function ndotsOf(resolver: PodResolver): number {
  const value = resolver.options.find((option) => option.name === "ndots")?.value;
  const ndots = value === undefined ? Number.NaN : Number.parseInt(value, 10);
  return Number.isNaN(ndots) || ndots < 0 ? DEFAULT_NDOTS : Math.min(ndots, MAX_NDOTS);
}
