import { describe, expect, it } from "vitest";
import { getentHosts, nslookupAnswers } from "../harness/answers.js";
import { example } from "../harness/examples.js";
import { manifestFile } from "../harness/manifest-file.js";
import type { PodUnderTest } from "../harness/pod-under-test.js";
import { waitForAnswers } from "../harness/wait-answers.js";
import { walkthrough } from "../harness/walkthrough.js";
import { podIP } from "./headless.js";

const SVC = "test-svc.default.svc.cluster.local";
const HEADLESS = "lab-web.default.svc.cluster.local";

// A headless twin of test-svc, over the same lab-web pods: its answers are the pods' own IPs.
const LAB_WEB_HEADLESS = `apiVersion: v1
kind: Service
metadata:
  name: lab-web
  namespace: default
spec:
  clusterIP: None
  selector:
    app: lab-web
  ports:
    - name: http
      port: 80
`;

/**
 * Seed 004's test-svc (targetPort web-port) and its lab-web pod. Seed 000: a Service hides its pods' IPs, so a pod re-created with a new IP is still reached by the service name
 * (the cluster IP does not change); a headless service's answer is the pod IP, so it changes with the pod.
 */
export function podRecreated(pod: () => PodUnderTest): void {
  describe("a pod deleted and re-created with a new IP", () => {
    it("the service name keeps resolving to the same cluster IP while the headless answer follows the new pod IP", async () => {
      const transcript = walkthrough("pod-recreated");
      expect((await pod().kubectl(["create", "-f", example("test-svc.yaml"), "-f", example("test-pod.yaml"), "-f", manifestFile("lab-web-headless.yaml", LAB_WEB_HEADLESS, transcript)], transcript)).code).toBe(0);
      const clusterIP = (await pod().kubectl(["get", "service", "test-svc", "-o", "jsonpath={.spec.clusterIP}"], transcript)).stdout.trim();
      const before = await podIP(pod(), "test-pod");
      await waitForAnswers(pod(), SVC, [clusterIP]);
      await waitForAnswers(pod(), HEADLESS, [before]);
      const sleeper = pod().shell("lab-sleeper", { namespace: "default" }, transcript);
      // Seed 004: `nslookup test-svc` from the lab-sleeper pod.
      expect(nslookupAnswers((await sleeper.run("nslookup", ["test-svc"])).stdout)).toEqual([{ name: SVC, address: clusterIP }]);
      expect(nslookupAnswers((await sleeper.run("nslookup", ["lab-web"])).stdout)).toEqual([{ name: HEADLESS, address: before }]);

      expect((await pod().kubectl(["delete", "pod", "test-pod"], transcript)).code).toBe(0);
      await waitForAnswers(pod(), HEADLESS, []);
      // With no pod behind it the service still has its name and cluster IP.
      expect(getentHosts((await sleeper.run("getent", ["hosts", "test-svc"])).stdout)).toEqual([{ address: clusterIP, names: [SVC] }]);

      expect((await pod().kubectl(["create", "-f", example("test-pod.yaml")], transcript)).code).toBe(0);
      const after = await podIP(pod(), "test-pod");
      expect(after).not.toBe(before);
      await waitForAnswers(pod(), HEADLESS, [after]);
      expect(getentHosts((await sleeper.run("getent", ["hosts", "test-svc"])).stdout)).toEqual([{ address: clusterIP, names: [SVC] }]);
      expect(nslookupAnswers((await sleeper.run("nslookup", ["lab-web"])).stdout)).toEqual([{ name: HEADLESS, address: after }]);
    });
  });
}
