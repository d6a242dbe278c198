import { describe, expect, it } from "vitest";
import { getentHosts, nslookupAnswers } from "../harness/answers.js";
import type { PodUnderTest } from "../harness/pod-under-test.js";
import { walkthrough } from "../harness/walkthrough.js";

/**
 * Seed 001: `kubectl exec busybox -- nslookup kubernetes.default` answers with the kubernetes service's IP (10.0.0.1),
 * under its full name. The same lookup through glibc (`getent hosts`), as an application resolves. busybox also prints
 * the names of the addresses (`Address 1: 10.0.0.10 kube-dns.kube-system.svc.cluster.local`): PTR records.
 */
export function kubernetesDefault(pod: () => PodUnderTest): void {
  describe("kubernetes.default from a pod in default", () => {
    it("nslookup and getent show the kubernetes service IP under kubernetes.default.svc.cluster.local", async () => {
      const transcript = walkthrough("kubernetes-default");
      const busybox = pod().shell("busybox", { namespace: "default" }, transcript);

      const nslookup = await busybox.run("nslookup", ["kubernetes.default"]);
      expect(nslookup.code).toBe(0);
      expect(nslookup.stdout).toMatch(new RegExp(`^Server:\\s+${pod().dnsIp.replace(/\./g, "\\.")}$`, "m"));
      expect(nslookupAnswers(nslookup.stdout)).toEqual([{ name: "kubernetes.default.svc.cluster.local", address: "10.0.0.1" }]);

      // Seed 002: the bare service name, from the same namespace.
      const bare = await busybox.run("nslookup", ["kubernetes"]);
      expect(nslookupAnswers(bare.stdout)).toEqual([{ name: "kubernetes.default.svc.cluster.local", address: "10.0.0.1" }]);

      const getent = await busybox.run("getent", ["hosts", "kubernetes.default"]);
      expect(getent.code).toBe(0);
      expect(getentHosts(getent.stdout)).toEqual([{ address: "10.0.0.1", names: ["kubernetes.default.svc.cluster.local"] }]);
    });

    it("the service IPs map back to their names (busybox's nslookup prints them beside each address)", async () => {
      const transcript = walkthrough("kubernetes-default-reverse");
      const busybox = pod().shell("busybox", { namespace: "default" }, transcript);
      const kubernetes = await busybox.run("getent", ["hosts", "10.0.0.1"]);
      expect(getentHosts(kubernetes.stdout)).toEqual([{ address: "10.0.0.1", names: ["kubernetes.default.svc.cluster.local"] }]);
      const kubeDns = await busybox.run("dig", ["+short", "-x", "10.0.0.10"]);
      expect(kubeDns.stdout.trim()).toBe("kube-dns.kube-system.svc.cluster.local.");
    });
  });
}
