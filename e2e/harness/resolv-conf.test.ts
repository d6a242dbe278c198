import { describe, expect, it } from "vitest";
import { kubeletResolvConf } from "./resolv-conf.js";

const node = { nameservers: ["127.0.0.53"], searches: ["example.org"] };
const base = { namespace: "default", clusterDNS: "127.0.0.10", clusterDomain: "cluster.local", node };

describe("kubeletResolvConf", () => {
  it("writes ClusterFirst as kubelet does: cluster DNS, the three cluster searches before the node's, ndots:5", () => {
    expect(kubeletResolvConf({ ...base, dnsPolicy: "ClusterFirst" })).toBe(
      "nameserver 127.0.0.10\n" +
        "search default.svc.cluster.local svc.cluster.local cluster.local example.org\n" +
        "options ndots:5 timeout:2 attempts:2\n",
    );
  });

  it("uses the pod's namespace in the first search domain", () => {
    expect(kubeletResolvConf({ ...base, namespace: "kube-system", dnsPolicy: "ClusterFirst" })).toContain(
      "search kube-system.svc.cluster.local svc.cluster.local cluster.local",
    );
  });

  it("copies the node's resolver for Default", () => {
    expect(kubeletResolvConf({ ...base, dnsPolicy: "Default" })).toBe(
      "nameserver 127.0.0.53\nsearch example.org\noptions timeout:2 attempts:2\n",
    );
  });

  it("uses only dnsConfig for None", () => {
    const text = kubeletResolvConf({
      ...base,
      dnsPolicy: "None",
      dnsConfig: { nameservers: ["127.0.0.20"], searches: ["ns1.svc.cluster.local", "my.dns.search.suffix"], options: [{ name: "ndots", value: "2" }, { name: "edns0" }] },
    });
    expect(text).toBe("nameserver 127.0.0.20\nsearch ns1.svc.cluster.local my.dns.search.suffix\noptions ndots:2 edns0 timeout:2 attempts:2\n");
  });

  it("keeps glibc's limits of 3 nameservers and 6 search domains", () => {
    const text = kubeletResolvConf({
      ...base,
      dnsPolicy: "None",
      dnsConfig: { nameservers: ["127.0.0.1", "127.0.0.2", "127.0.0.3", "127.0.0.4"], searches: ["a", "b", "c", "d", "e", "f", "g"] },
    });
    expect(text.match(/^nameserver/gm)).toHaveLength(3);
    expect(text).toContain("search a b c d e f\n");
  });
});
