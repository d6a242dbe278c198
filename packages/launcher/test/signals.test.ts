import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { createInterface } from "node:readline";
import { afterEach, describe, expect, it } from "vitest";
import { isGone } from "./helpers.js";
import { REPO_ROOT } from "./program.js";

const started: ChildProcess[] = [];
const leftovers: number[] = [];

/** Launched is the fixture launcher, the pids its children printed (shells and background sleeps) and its further lines. */
interface Launched {
  readonly launcher: ChildProcess;
  readonly pids: number[];
  readonly lines: AsyncIterator<string>;
}

/** launch starts the fixture launcher and resolves once both children have printed their pids. */
async function launch(graceMs: number): Promise<Launched> {
  const launcher = spawn(process.execPath, ["--conditions=source", "--import", "tsx", "packages/launcher/test/fixtures/supervise.ts", String(graceMs)], {
    cwd: REPO_ROOT,
    stdio: ["ignore", "pipe", "inherit"],
  });
  started.push(launcher);
  const lines = createInterface({ input: launcher.stdout! })[Symbol.asyncIterator]();
  const pids: number[] = [];
  for (let count = 0; count < 100 && pids.length < 4; count++) {
    const { value, done } = await lines.next();
    if (done === true) break;
    const match = /^\[(polite|stubborn)\] pids (\d+) (\d+)$/.exec(value);
    if (match) pids.push(Number(match[2]), Number(match[3]));
  }
  leftovers.push(...pids);
  expect(pids).toHaveLength(4);
  return { launcher, pids, lines };
}

describe("Ctrl-C on a launcher", () => {
  // A failed test must not leave its launcher or the children behind.
  afterEach(() => {
    for (const launcher of started.splice(0)) launcher.kill("SIGKILL");
    for (const pid of leftovers.splice(0)) {
      if (isGone(pid)) continue;
      try {
        process.kill(pid, "SIGKILL");
      } catch {
        // already gone, as it should be
      }
    }
  });

  it("stops every child and its background processes, then the launcher exits 0", async () => {
    const { launcher, pids } = await launch(300);
    const exited = once(launcher, "exit");
    launcher.kill("SIGINT");
    expect(await exited).toEqual([0, null]);
    for (const pid of pids) expect(isGone(pid), `pid ${pid}`).toBe(true);
  });

  it("kills at once on a second Ctrl-C instead of waiting out the grace period", async () => {
    const { launcher, pids, lines } = await launch(600_000);
    const exited = once(launcher, "exit");
    launcher.kill("SIGINT");
    // Signals do not queue: the second is sent only once the first has been handled.
    expect((await lines.next()).value).toBe("got SIGINT 1");
    launcher.kill("SIGINT");
    expect(await exited).toEqual([0, null]);
    for (const pid of pids) expect(isGone(pid), `pid ${pid}`).toBe(true);
  });
});
