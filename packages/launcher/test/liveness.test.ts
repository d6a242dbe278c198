import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePort } from "@kube-dns/etcd-process";
import { afterEach, describe, expect, it } from "vitest";
import { Supervisor } from "../src/index.js";
import { Collected, isGone, nextEvent } from "./helpers.js";
import { REPO_ROOT } from "./program.js";

describe("a Supervisor with exec-healthz as the liveness signal, as in the pod", () => {
  let supervisor: Supervisor | undefined;
  let dir: string | undefined;
  afterEach(async () => {
    await supervisor?.stop();
    if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
  });

  it("restarts the probed child once exec-healthz's command starts failing", async () => {
    dir = mkdtempSync(join(tmpdir(), "kube-dns-liveness-"));
    const flag = join(dir, "answering");
    writeFileSync(flag, "");
    const port = await freePort();
    const healthz = `http://127.0.0.1:${port}/healthz`;
    const collected = new Collected();
    supervisor = new Supervisor({ graceMs: 2000, backoff: { baseMs: 20, capMs: 40, resetAfterMs: 600_000 }, output: collected.output });
    supervisor.start({
      name: "healthz",
      command: process.execPath,
      args: ["--conditions=source", "--import", "tsx", "packages/exec-healthz/src/main.ts", "--cmd", `test -e ${flag}`, "--period", "50ms", "--port", String(port), "--address", "127.0.0.1", "--quiet"],
      cwd: REPO_ROOT,
      readiness: { url: healthz, periodMs: 50 },
    });
    await supervisor.waitReady("healthz", 20_000);
    const started = nextEvent(supervisor, "started", (name) => name === "skydns");
    supervisor.start({ name: "skydns", command: "sleep", args: ["30"], liveness: { url: healthz, periodMs: 50, failureThreshold: 2 } });
    const [, firstPid] = await started;

    const unhealthy = nextEvent(supervisor, "unhealthy", (name) => name === "skydns");
    rmSync(flag);
    await unhealthy;
    const [, secondPid, restarts] = await nextEvent(supervisor, "started", (name) => name === "skydns");
    expect(restarts).toBe(1);
    expect(secondPid).not.toBe(firstPid);
    expect(isGone(firstPid ?? 0)).toBe(true);
    expect(collected.lines.some((line) => line.text.startsWith("[healthz] {"))).toBe(true);
  });
});
