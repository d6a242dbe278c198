import { describe, expect, it } from "vitest";
import { digSection, getentHosts, nslookupAnswers, shortAnswers } from "../harness/answers.js";
import { example } from "../harness/examples.js";
import type { PodUnderTest } from "../harness/pod-under-test.js";
import { eventually } from "../harness/poll.js";
import { waitForAnswers } from "../harness/wait-answers.js";
import { walkthrough } from "../harness/walkthrough.js";

const FULL = "my-nginx.default.svc.cluster.local";

/**
 * Seed 000: the nginx Deployment's two pods and the my-nginx Service, created with `kubectl create -f`, are reached
 * by name from a pod in default: the short name, name.namespace, the full name, and the SRV record of its named port.
 */
export function myNginx(pod: () => PodUnderTest): void {
  describe("services created with kubectl create -f", () => {
    it("my-nginx resolves to its cluster IP by short name, name.namespace and full name, with an SRV record for port http", async () => {
      const transcript = walkthrough("my-nginx");
      // As the seed: the Deployment first, its two pods' IPs, then the Service in front of them.
      const deployed = await pod().kubectl(["create", "-f", example("nginx-deployment.yaml")], transcript);
      expect(deployed.code).toBe(0);
      expect(deployed.stdout).toContain("deployment.apps/my-nginx created");
      const rolledOut = await pod().kubectl(["rollout", "status", "deployment/my-nginx", "--timeout=60s"], transcript);
      expect(rolledOut.stdout).toContain('deployment "my-nginx" successfully rolled out');
      const podIPs = (await pod().kubectl(["get", "pod", "-l", "run=my-nginx", "-o", "jsonpath={.items[*].status.podIP}"], transcript)).stdout.trim().split(/\s+/);
      expect(podIPs).toHaveLength(2);
      for (const ip of podIPs) expect(ip).toMatch(/^10\.244\.\d+\.\d+$/);
      const created = await pod().kubectl(["create", "-f", example("nginx-service.yaml")], transcript);
      expect(created.code).toBe(0);
      expect(created.stdout).toContain("service/my-nginx created");
      // The endpoints controller fills the Service's Endpoints a moment after it exists.
      const endpointIPs = ["get", "endpoints", "my-nginx", "-o", "jsonpath={.subsets[*].addresses[*].ip}"];
      const wanted = [...podIPs].sort().join(" ");
      await eventually(async () => ((await pod().kubectl(endpointIPs)).stdout.trim().split(/\s+/).sort().join(" ") === wanted ? true : undefined), { what: "my-nginx's endpoints to list both pods" });
      expect((await pod().kubectl(endpointIPs, transcript)).stdout.trim().split(/\s+/).sort()).toEqual([...podIPs].sort());
      const clusterIP = (await pod().kubectl(["get", "service", "my-nginx", "-o", "jsonpath={.spec.clusterIP}"], transcript)).stdout.trim();
      expect(clusterIP).toMatch(/^10\.0\.\d+\.\d+$/);
      // kube2sky writes the record a moment after the Service exists.
      await waitForAnswers(pod(), FULL, [clusterIP]);

      const curl = pod().shell("curl", { namespace: "default" }, transcript);
      const getent = await curl.run("getent", ["hosts", "my-nginx"]);
      expect(getentHosts(getent.stdout)).toEqual([{ address: clusterIP, names: [FULL] }]);
      for (const name of ["my-nginx", "my-nginx.default", FULL]) {
        const nslookup = await curl.run("nslookup", [name]);
        expect(nslookup.code).toBe(0);
        expect(nslookupAnswers(nslookup.stdout)).toEqual([{ name: FULL, address: clusterIP }]);
      }
      const srv = await curl.run("dig", ["SRV", `_http._tcp.${FULL}`]);
      expect(digSection(srv.stdout, "ANSWER")).toEqual([{ name: `_http._tcp.${FULL}.`, ttl: 30, type: "SRV", data: `10 10 80 ${FULL}.` }]);
      expect(digSection(srv.stdout, "ADDITIONAL")).toEqual([{ name: `${FULL}.`, ttl: 30, type: "A", data: clusterIP }]);
      expect(shortAnswers((await curl.run("dig", ["+short", "+search", "my-nginx"])).stdout)).toEqual([clusterIP]);
      expect(shortAnswers((await curl.run("dig", ["+short", "+tcp", FULL])).stdout)).toEqual([clusterIP]);
    });
  });
}
