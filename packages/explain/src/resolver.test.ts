import { describe, expect, it } from "vitest";
import { formatResolvConf, kubeletResolver, ndotsOf, type ResolvConfInput, withOptionDefaults } from "./resolver.js";

const node = { nameservers: ["127.0.0.53"], searches: ["example.org"] };
const base = { namespace: "default", clusterDNS: "127.0.0.10", clusterDomain: "cluster.local", node };
const render = (input: ResolvConfInput): string => formatResolvConf(kubeletResolver(input));

describe("kubeletResolver", () => {
  it("writes ClusterFirst as kubelet does: cluster DNS, the three cluster searches before the node's, ndots:5", () => {
    expect(render({ ...base, dnsPolicy: "ClusterFirst" })).toBe(
      "nameserver 127.0.0.10\nsearch default.svc.cluster.local svc.cluster.local cluster.local example.org\noptions ndots:5\n",
    );
  });

  it("uses the pod's namespace in the first search domain and takes the domain with or without its dot", () => {
    expect(kubeletResolver({ ...base, namespace: "kube-system", clusterDomain: "cluster.local.", dnsPolicy: "ClusterFirst" }).searches.slice(0, 3)).toEqual([
      "kube-system.svc.cluster.local", "svc.cluster.local", "cluster.local",
    ]);
  });

  it("copies the node's resolver for Default, with no options line", () => {
    expect(render({ ...base, dnsPolicy: "Default" })).toBe("nameserver 127.0.0.53\nsearch example.org\n");
  });

  it("uses only dnsConfig for None", () => {
    const text = render({
      ...base,
      dnsPolicy: "None",
      dnsConfig: { nameservers: ["127.0.0.20"], searches: ["ns1.svc.cluster.local", "my.dns.search.suffix"], options: [{ name: "ndots", value: "2" }, { name: "edns0" }] },
    });
    expect(text).toBe("nameserver 127.0.0.20\nsearch ns1.svc.cluster.local my.dns.search.suffix\noptions ndots:2 edns0\n");
  });

  it("lets a dnsConfig option replace kubelet's of the same name", () => {
    expect(render({ ...base, dnsPolicy: "ClusterFirst", dnsConfig: { options: [{ name: "ndots", value: "2" }] } })).toContain("options ndots:2\n");
  });

  it("keeps glibc's limits of 3 nameservers and 6 search domains", () => {
    const text = render({
      ...base,
      dnsPolicy: "None",
      dnsConfig: { nameservers: ["127.0.0.1", "127.0.0.2", "127.0.0.3", "127.0.0.4"], searches: ["a", "b", "c", "d", "e", "f", "g"] },
    });
    expect(text.match(/^nameserver/gm)).toHaveLength(3);
    expect(text).toContain("search a b c d e f\n");
  });
});

describe("withOptionDefaults", () => {
  it("adds only the options the resolver does not set, after its own", () => {
    const resolver = kubeletResolver({ ...base, dnsPolicy: "ClusterFirst", dnsConfig: { options: [{ name: "timeout", value: "1" }] } });
    expect(withOptionDefaults(resolver, [{ name: "timeout", value: "2" }, { name: "attempts", value: "2" }]).options).toEqual([
      { name: "ndots", value: "5" }, { name: "timeout", value: "1" }, { name: "attempts", value: "2" },
    ]);
  });
});

describe("ndotsOf", () => {
  it("reads ndots, defaulting to glibc's 1 and capping at 15", () => {
    expect(ndotsOf(kubeletResolver({ ...base, dnsPolicy: "ClusterFirst" }))).toBe(5);
    expect(ndotsOf(kubeletResolver({ ...base, dnsPolicy: "Default" }))).toBe(1);
    expect(ndotsOf({ nameservers: [], searches: [], options: [{ name: "ndots", value: "40" }] })).toBe(15);
    expect(ndotsOf({ nameservers: [], searches: [], options: [{ name: "ndots", value: "0" }] })).toBe(0);
    expect(ndotsOf({ nameservers: [], searches: [], options: [{ name: "ndots", value: "x" }] })).toBe(1);
  });
});
