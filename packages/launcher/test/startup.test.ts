import { afterEach, describe, expect, it } from "vitest";
import { Supervisor } from "../src/index.js";
import { OutputTail, startReady } from "../src/startup.js";

describe("startReady", () => {
  let supervisor: Supervisor | undefined;
  afterEach(async () => {
    await supervisor?.stop();
  });

  function quietSupervisor(tail: OutputTail): Supervisor {
    supervisor = new Supervisor({ backoff: { baseMs: 10, capMs: 20 }, graceMs: 1000, output: tail.output });
    return supervisor;
  }

  it("reports a container that cannot start with its own last lines, without waiting for the timeout", async () => {
    const tail = new OutputTail(() => undefined);
    const started = startReady(
      quietSupervisor(tail),
      {
        name: "skydns",
        command: "sh",
        args: ["-c", "echo 'skydns: cannot listen on 127.0.0.1:53: the address is already in use' >&2; exit 1"],
        // Never ready: nothing listens on port 1 of loopback.
        readiness: { url: "http://127.0.0.1:1/ready", periodMs: 50, timeoutMs: 200 },
      },
      60_000,
      tail,
    );
    await expect(started).rejects.toThrow(/skydns exited \(exit code 1\) 2 times before it was ready; its last lines:\n {2}skydns: cannot listen on 127\.0\.0\.1:53/);
  });

  it("resolves once the container is ready, and forwards its lines", async () => {
    const seen: string[] = [];
    const tail = new OutputTail((text) => seen.push(text));
    await startReady(quietSupervisor(tail), { name: "sleeper", command: "sh", args: ["-c", "echo hello; exec sleep 30"] }, 10_000, tail);
    await expect.poll(() => seen.join("")).toContain("[sleeper] hello\n");
    expect(tail.tailOf("sleeper")).toBe("  hello");
  });

  it("says so when a container printed nothing", () => {
    expect(new OutputTail(() => undefined).tailOf("etcd")).toBe("  (it printed nothing)");
  });
});
