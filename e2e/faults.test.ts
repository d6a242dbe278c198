import { describe, expect, it } from "vitest";
import { nslookupAnswers } from "./harness/answers.js";
import { eventually } from "./harness/poll.js";
import { usePod } from "./harness/use-pod.js";
import type { Transcript } from "./harness/transcript.js";
import { waitForAnswers } from "./harness/wait-answers.js";
import { walkthrough } from "./harness/walkthrough.js";

const KUBERNETES = "kubernetes.default.svc.cluster.local";

// Seeds 000 and 001: exec-healthz runs nslookup against skydns every 2 s and serves the result at /healthz, the
// liveness probe the kubelet (here the launcher) acts on. These walkthroughs stop and kill skydns, so they get a pod
// of their own.
describe("exec-healthz and the launcher when skydns fails", () => {
  const pod = usePod();

  // Polls /healthz until it answers status; the transcript gets the answer as `curl` would show it.
  async function healthzTurns(status: number, transcript: Transcript, timeoutMs: number): Promise<string> {
    const body = await eventually(async () => {
      const answer = await pod().healthz();
      return answer.status === status ? answer.body : undefined;
    }, { what: `${pod().healthzUrl} answering ${status}`, timeoutMs, intervalMs: 250 });
    transcript.command("node", `curl -i ${pod().healthzUrl}`, { stdout: `HTTP/1.1 ${status}\n\n${body}`, stderr: "", code: 0 });
    return body;
  }

  it("exec-healthz answers 503 while skydns is stopped and 200 again once it runs, without a restart", async () => {
    const transcript = walkthrough("healthz-skydns-stopped");
    await healthzTurns(200, transcript, 10_000);
    const pid = await pod().pidOf("skydns");
    expect(pid).toBeTypeOf("number");
    if (pid === undefined) return;
    transcript.note(`kill -STOP ${pid}   (skydns)`);
    process.kill(pid, "SIGSTOP");
    try {
      // nslookup gets no answer; exec-healthz kills it after its 5 s timeout and reports the failure.
      const failure = await healthzTurns(503, transcript, 20_000);
      expect(failure).toContain("Healthz probe error");
    } finally {
      transcript.note(`kill -CONT ${pid}`);
      process.kill(pid, "SIGCONT");
    }
    await healthzTurns(200, transcript, 15_000);
    // Stopped for less than the liveness probe's three failed periods: the launcher had no reason to restart it.
    expect(await pod().pidOf("skydns")).toBe(pid);
  }, 60_000);

  it("the launcher restarts skydns after it is killed, and pods' lookups answer again", async () => {
    const transcript = walkthrough("skydns-killed");
    const pid = await pod().pidOf("skydns");
    expect(pid).toBeTypeOf("number");
    if (pid === undefined) return;
    transcript.note(`kill -KILL ${pid}   (skydns)`);
    process.kill(pid, "SIGKILL");
    // As the kubelet does, the launcher restarts a first crash at once (later ones back off from 10 s).
    const restarted = await eventually(async () => {
      const now = await pod().pidOf("skydns");
      return now !== undefined && now !== pid ? now : undefined;
    }, { what: "a new skydns process", timeoutMs: 40_000, intervalMs: 250 });
    const launcherSaw = await eventually(async () => {
      const lines = pod().outputTail(400).split("\n").filter((line) => line.includes("container exited") && line.includes('"container":"skydns"'));
      return lines.some((line) => line.includes('"signal":"SIGKILL"')) ? lines : undefined;
    }, { what: "the launcher logging skydns's exit by SIGKILL", timeoutMs: 5000 });
    transcript.note(`the launcher's log:\n${launcherSaw.join("\n")}\nskydns runs again as pid ${restarted}`);
    await waitForAnswers(pod(), KUBERNETES, ["10.0.0.1"], "A", 20_000);
    const busybox = pod().shell("busybox", { namespace: "default" }, transcript);
    const nslookup = await busybox.run("nslookup", ["kubernetes.default"]);
    expect(nslookupAnswers(nslookup.stdout)).toEqual([{ name: KUBERNETES, address: "10.0.0.1" }]);
    await healthzTurns(200, transcript, 15_000);
  }, 90_000);
});
