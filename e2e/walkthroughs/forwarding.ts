import { describe, expect, it } from "vitest";
import { getentHosts, nslookupAnswers } from "../harness/answers.js";
import { OUTSIDE_IP, OUTSIDE_NAME, type PodUnderTest } from "../harness/pod-under-test.js";
import { walkthrough } from "../harness/walkthrough.js";

const CLUSTER_NAME = "kubernetes.default.svc.cluster.local";

/**
 * Seed 002's DNS policies. ClusterFirst: a name outside the cluster goes to kube-dns, which forwards it to the node's
 * upstream resolver. Default: the pod uses the node's resolver itself. None: only the pod's dnsConfig (here the
 * upstream as nameserver, the seed's searches and ndots:2), so cluster names do not resolve. The upstream is a
 * dnsmasq on loopback serving a made-up zone.
 */
export function forwarding(pod: () => PodUnderTest): void {
  describe("names outside the cluster and the pod's dnsPolicy", () => {
    it("under ClusterFirst, skydns forwards a name outside the cluster to the upstream and returns its answer", async () => {
      const transcript = walkthrough("forwarding-cluster-first");
      const app = pod().shell("app", { namespace: "default", dnsPolicy: "ClusterFirst" }, transcript);
      const mark = await pod().mark();
      expect(getentHosts((await app.run("getent", ["hosts", OUTSIDE_NAME])).stdout)).toEqual([{ address: OUTSIDE_IP, names: [OUTSIDE_NAME] }]);
      expect(nslookupAnswers((await app.run("nslookup", [OUTSIDE_NAME])).stdout)).toEqual([{ name: OUTSIDE_NAME, address: OUTSIDE_IP }]);
      const forwarded = (await pod().queriesSince(mark)).filter((query) => query.name === OUTSIDE_NAME && query.type === "A");
      expect(forwarded.map((query) => query.rcode)).toEqual(["NOERROR", "NOERROR"]);
    });

    it("under None, the pod asks only its dnsConfig nameservers: the upstream's name resolves, cluster names do not, and skydns hears nothing", async () => {
      const transcript = walkthrough("forwarding-none");
      const dnsConfig = {
        nameservers: [pod().upstream.host],
        searches: ["ns1.svc.cluster.local", "my.dns.search.suffix"],
        options: [{ name: "ndots", value: "2" }, { name: "edns0" }],
      };
      const custom = pod().shell("dns-example", { namespace: "default", dnsPolicy: "None", dnsConfig }, transcript);
      const mark = await pod().mark();
      expect(getentHosts((await custom.run("getent", ["hosts", OUTSIDE_NAME])).stdout)).toEqual([{ address: OUTSIDE_IP, names: [OUTSIDE_NAME] }]);
      expect((await custom.run("getent", ["hosts", CLUSTER_NAME])).code).toBe(2);
      expect((await custom.run("getent", ["hosts", "kubernetes.default"])).code).toBe(2);
      const heard = (await pod().queriesSince(mark)).filter((query) => query.name.includes("corp.example") || (query.name.startsWith("kubernetes.default.") && query.name !== CLUSTER_NAME));
      expect(heard).toEqual([]);
    });

    it("under Default, the pod uses the node's resolver: outside names resolve, cluster names do not", async () => {
      const transcript = walkthrough("forwarding-default");
      const onNode = pod().shell("node-dns", { namespace: "default", dnsPolicy: "Default" }, transcript);
      const mark = await pod().mark();
      expect(getentHosts((await onNode.run("getent", ["hosts", OUTSIDE_NAME])).stdout)).toEqual([{ address: OUTSIDE_IP, names: [OUTSIDE_NAME] }]);
      expect((await onNode.run("getent", ["hosts", CLUSTER_NAME])).code).toBe(2);
      const heard = (await pod().queriesSince(mark)).filter((query) => query.name.includes("corp.example"));
      expect(heard).toEqual([]);
    });
  });
}
