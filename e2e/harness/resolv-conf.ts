import { formatResolvConf, kubeletResolver, type ResolvConfInput, withOptionDefaults } from "@kube-dns/explain";

export type { DNSPolicy, NodeResolver, PodDNSConfig, ResolvConfInput } from "@kube-dns/explain";

/**
 * kubeletResolvConf renders a pod's resolv.conf as kubelet writes it (`kubeletResolver` of @kube-dns/explain, which
 * `kube-dns explain` shows too), plus a shorter timeout than glibc's 5 s to keep a failing test quick and a second
 * attempt to ride out a server stalled for a moment on two busy cores, unless the pod sets its own.
 */
export function kubeletResolvConf(input: ResolvConfInput): string {
  return formatResolvConf(withOptionDefaults(kubeletResolver(input), [{ name: "timeout", value: "2" }, { name: "attempts", value: "2" }]));
}
