import { describe, expect, it } from "vitest";
import { getentHosts, nslookupAnswers } from "../harness/answers.js";
import type { PodUnderTest } from "../harness/pod-under-test.js";
import { walkthrough } from "../harness/walkthrough.js";

/**
 * Seed 002: a service in another namespace is found as name.namespace (`kube-dns.kube-system` from default), while
 * the bare name is looked up in the pod's own namespace only, so `kube-dns` from default is NXDOMAIN.
 */
export function namespaces(pod: () => PodUnderTest): void {
  describe("services in another namespace", () => {
    it("kube-dns.kube-system resolves from default, while plain kube-dns from default is NXDOMAIN", async () => {
      const transcript = walkthrough("kube-dns-namespaces");
      const curl = pod().shell("curl", { namespace: "default" }, transcript);

      const qualified = await curl.run("nslookup", ["kube-dns.kube-system"]);
      expect(qualified.code).toBe(0);
      expect(nslookupAnswers(qualified.stdout)).toEqual([{ name: "kube-dns.kube-system.svc.cluster.local", address: "10.0.0.10" }]);

      const mark = await pod().mark();
      const bare = await curl.run("nslookup", ["kube-dns"]);
      expect(bare.code).toBe(1);
      expect(bare.stdout).toContain("** server can't find kube-dns: NXDOMAIN");
      // Every name nslookup tried was denied by the server, the cluster's own names and the bare name forwarded upstream.
      const asked = (await pod().queriesSince(mark)).filter((query) => query.name.startsWith("kube-dns") && query.type === "A");
      expect(asked.map((query) => [query.name, query.rcode])).toEqual([
        ["kube-dns.default.svc.cluster.local", "NXDOMAIN"],
        ["kube-dns.svc.cluster.local", "NXDOMAIN"],
        ["kube-dns.cluster.local", "NXDOMAIN"],
        ["kube-dns", "NXDOMAIN"],
      ]);
      const getent = await curl.run("getent", ["hosts", "kube-dns"]);
      expect(getent.code).toBe(2);
    });

    it("plain kube-dns resolves from a pod in kube-system, whose first search domain is its own namespace", async () => {
      const transcript = walkthrough("kube-dns-from-kube-system");
      const inKubeSystem = pod().shell("tools", { namespace: "kube-system" }, transcript);
      const getent = await inKubeSystem.run("getent", ["hosts", "kube-dns"]);
      expect(getentHosts(getent.stdout)).toEqual([{ address: "10.0.0.10", names: ["kube-dns.kube-system.svc.cluster.local"] }]);
    });
  });
}
