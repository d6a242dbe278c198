import { spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { runCommand } from "../src/run.js";

// ps prints nothing for a pid that is gone, and Z for a zombie its new parent has not reaped yet.
function running(pid: number): boolean {
  const stat = spawnSync("ps", ["-o", "stat=", "-p", String(pid)], { encoding: "utf8", timeout: 5000 }).stdout.trim();
  return stat !== "" && !stat.startsWith("Z");
}

const LIMITS = { timeoutMs: 5000, maxOutputBytes: 64 * 1024 };

describe("runCommand", () => {
  it("succeeds for `true`", async () => {
    const result = await runCommand("true", LIMITS);
    expect(result).toMatchObject({ ok: true, error: "", output: "", droppedBytes: 0, timedOut: false });
  });

  it("fails with the exit status for `false`", async () => {
    expect(await runCommand("false", LIMITS)).toMatchObject({ ok: false, error: "exit status 1" });
  });

  it("captures stdout and stderr together", async () => {
    const result = await runCommand("echo out; echo err >&2; exit 3", LIMITS);
    expect(result.ok).toBe(false);
    expect(result.error).toBe("exit status 3");
    expect(result.output).toContain("out\n");
    expect(result.output).toContain("err\n");
  });

  it("kills a hung command at its timeout", async () => {
    const result = await runCommand("sleep 10", { ...LIMITS, timeoutMs: 200 });
    expect(result).toMatchObject({ ok: false, timedOut: true, error: "timed out after 200ms" });
  });

  it("kills the whole process group, including a background child holding the output", async () => {
    const result = await runCommand("sleep 30 & echo $!", { ...LIMITS, timeoutMs: 300 });
    expect(result.timedOut).toBe(true);
    const pid = Number(result.output.trim());
    expect(pid).toBeGreaterThan(0);
    // Its pipe closes a moment before the kernel marks it exited: allow that moment, not a live process.
    for (let tries = 0; tries < 100 && running(pid); tries++) await new Promise((resolve) => setTimeout(resolve, 20));
    expect(running(pid)).toBe(false);
  });

  it("cuts output beyond the cap and still reads the rest", async () => {
    const result = await runCommand("head -c 5000000 /dev/zero | tr '\\0' x", LIMITS);
    expect(result.ok).toBe(true);
    expect(result.output.length).toBe(64 * 1024);
    expect(result.droppedBytes).toBe(5_000_000 - 64 * 1024);
  });

  it("stops a run when its signal aborts", async () => {
    const controller = new AbortController();
    const running = runCommand("sleep 10", { ...LIMITS, signal: controller.signal });
    controller.abort();
    expect(await running).toMatchObject({ ok: false, error: "stopped", timedOut: false });
  });
});
