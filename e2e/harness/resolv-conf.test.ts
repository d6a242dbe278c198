import { describe, expect, it } from "vitest";
import { kubeletResolvConf } from "./resolv-conf.js";

const node = { nameservers: ["127.0.0.53"], searches: ["example.org"] };
const base = { namespace: "default", clusterDNS: "127.0.0.10", clusterDomain: "cluster.local", node };

// kubelet's own rules are tested with kubeletResolver in packages/explain; here, what the harness adds to them.
describe("kubeletResolvConf", () => {
  it("writes kubelet's ClusterFirst file with the harness's timeout:2 attempts:2 after ndots:5", () => {
    expect(kubeletResolvConf({ ...base, dnsPolicy: "ClusterFirst" })).toBe(
      "nameserver 127.0.0.10\n" +
        "search default.svc.cluster.local svc.cluster.local cluster.local example.org\n" +
        "options ndots:5 timeout:2 attempts:2\n",
    );
  });

  it("keeps a pod's own options, and adds the harness's after them", () => {
    const text = kubeletResolvConf({
      ...base,
      dnsPolicy: "None",
      dnsConfig: { nameservers: ["127.0.0.20"], searches: ["ns1.svc.cluster.local"], options: [{ name: "ndots", value: "2" }, { name: "edns0" }, { name: "timeout", value: "1" }] },
    });
    expect(text).toBe("nameserver 127.0.0.20\nsearch ns1.svc.cluster.local\noptions ndots:2 edns0 timeout:1 attempts:2\n");
  });
});
