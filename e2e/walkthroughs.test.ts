import { afterAll, beforeAll, describe } from "vitest";
import { type PodUnderTest, startPod } from "./harness/pod-under-test.js";
import { kubernetesDefault } from "./walkthroughs/kubernetes-default.js";

// The walkthroughs that can share one running pod: each creates what it needs under names of its own.
// skydns listens on 127.0.0.11:53 and the node's resolver (the upstream dnsmasq) on 127.0.0.12:53.
describe("the seeds' walkthroughs, as pods see them", () => {
  let running: PodUnderTest | undefined;
  beforeAll(async () => {
    running = await startPod({ loopbackIp: "127.0.0.11", upstreamIp: "127.0.0.12" });
  }, 120_000);
  afterAll(async () => {
    await running?.stop();
  }, 60_000);
  const pod = (): PodUnderTest => {
    if (running === undefined) throw new Error("the pod did not start (see beforeAll's error)");
    return running;
  };

  kubernetesDefault(pod);
});
