import { describe, expect, it } from "vitest";
import { nslookupAnswers } from "../harness/answers.js";
import { example } from "../harness/examples.js";
import { manifestFile } from "../harness/manifest-file.js";
import type { PodUnderTest } from "../harness/pod-under-test.js";
import { waitForAnswers } from "../harness/wait-answers.js";
import { walkthrough } from "../harness/walkthrough.js";

const WEB = "web.default.svc.cluster.local";

const WEB_2 = `apiVersion: v1
kind: Pod
metadata:
  name: web-2
  namespace: default
  labels:
    app: web
spec:
  hostname: web-2
  subdomain: web
  containers:
    - name: web
      image: nginx:1.27
      ports:
        - name: http
          containerPort: 80
`;

/** podIP asks the API server for a pod's IP, as `kubectl get pod -o wide` shows it. */
export async function podIP(pod: PodUnderTest, name: string): Promise<string> {
  const result = await pod.kubectl(["get", "pod", name, "-o", "jsonpath={.status.podIP}"]);
  const ip = result.stdout.trim();
  if (result.code !== 0 || !/^\d+\.\d+\.\d+\.\d+$/.test(ip)) throw new Error(`pod ${name} has no IP: ${result.stdout}${result.stderr}`);
  return ip;
}

/**
 * A headless service (clusterIP None) answers with one A record per ready pod instead of a cluster IP, and each pod
 * with hostname + subdomain gets a name of its own; the answers follow the pods as they are deleted and created.
 */
export function headless(pod: () => PodUnderTest): void {
  describe("a headless service", () => {
    it("answers one A record per pod, changing as pods come and go", async () => {
      const transcript = walkthrough("headless");
      expect((await pod().kubectl(["create", "-f", example("headless-service.yaml")], transcript)).code).toBe(0);
      const [web0, web1] = [await podIP(pod(), "web-0"), await podIP(pod(), "web-1")];
      await waitForAnswers(pod(), WEB, [web0, web1]);
      const client = pod().shell("client", { namespace: "default" }, transcript);
      const both = nslookupAnswers((await client.run("nslookup", ["web"])).stdout);
      expect(both.map((answer) => answer.address).sort()).toEqual([web0, web1].sort());
      expect(both.every((answer) => answer.name === WEB)).toBe(true);
      expect(nslookupAnswers((await client.run("nslookup", ["web-1.web"])).stdout)).toEqual([{ name: `web-1.${WEB}`, address: web1 }]);

      expect((await pod().kubectl(["delete", "pod", "web-1"], transcript)).code).toBe(0);
      await waitForAnswers(pod(), WEB, [web0]);
      expect(nslookupAnswers((await client.run("nslookup", ["web"])).stdout)).toEqual([{ name: WEB, address: web0 }]);
      const gone = await client.run("nslookup", ["web-1.web"]);
      expect(gone.stdout).toContain("NXDOMAIN");

      expect((await pod().kubectl(["create", "-f", manifestFile("web-2.yaml", WEB_2, transcript)], transcript)).code).toBe(0);
      const web2 = await podIP(pod(), "web-2");
      await waitForAnswers(pod(), WEB, [web0, web2]);
      const again = nslookupAnswers((await client.run("nslookup", ["web"])).stdout);
      expect(again.map((answer) => answer.address).sort()).toEqual([web0, web2].sort());
      expect(nslookupAnswers((await client.run("nslookup", ["web-2.web"])).stdout)).toEqual([{ name: `web-2.${WEB}`, address: web2 }]);
    });
  });
}
