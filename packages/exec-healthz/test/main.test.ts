import { spawnSync } from "node:child_process";
import { once } from "node:events";
import { describe, expect, it, vi } from "vitest";
import { get } from "./helpers.js";
import { startProgram } from "./program.js";

describe("exec-healthz, the program", () => {
  it("logs its port, serves /healthz and exits 0 on SIGTERM", async () => {
    const { child, port } = await startProgram(["--cmd", "true", "--period", "100ms", "--port", "0", "--address", "127.0.0.1", "--quiet"]);
    try {
      const answer = await vi.waitFor(async () => {
        const reply = await get(`http://127.0.0.1:${port}/healthz`);
        if (reply.body !== "ok\n") throw new Error(`no 200 from a real run yet: ${reply.status} ${reply.body}`);
        return reply;
      }, { timeout: 10_000, interval: 25 });
      expect(answer.status).toBe(200);
      const exit = once(child, "exit");
      child.kill("SIGTERM");
      expect(await exit).toEqual([0, null]);
    } finally {
      child.kill("SIGKILL");
    }
  });

  it("refuses a bad flag with exit status 1 and says why", () => {
    const result = spawnSync(process.execPath, ["--conditions=source", "--import", "tsx", "packages/exec-healthz/src/main.ts", "--period", "soon"], {
      cwd: new URL("../../..", import.meta.url).pathname,
      encoding: "utf8",
      timeout: 20_000,
    });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain("invalid duration");
  });
});
