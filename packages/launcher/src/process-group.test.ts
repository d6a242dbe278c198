import { spawn } from "node:child_process";
import { once } from "node:events";
import { describe, expect, it } from "vitest";
import { groupHasLiveMembers, killGroup, waitGroupGone } from "./process-group.js";

describe("process groups", () => {
  it("sees a group's background member after its leader exits, until that member is killed", async () => {
    // The leader starts a sleeper in its own group and exits at once, leaving an orphan behind.
    const leader = spawn("sh", ["-c", "sleep 30 & echo $!"], { detached: true, stdio: ["ignore", "pipe", "ignore"] });
    const pgid = leader.pid ?? 0;
    const [line] = (await once(leader.stdout, "data")) as [Buffer];
    await once(leader, "exit");
    const sleeper = Number(line.toString().trim());
    expect(sleeper).toBeGreaterThan(0);
    expect(groupHasLiveMembers(pgid)).toBe(true);
    killGroup(pgid, "SIGKILL");
    expect(await waitGroupGone(pgid, 5000)).toBe(true);
    expect(groupHasLiveMembers(pgid)).toBe(false);
  });

  it("reports a group that never existed as gone, and gives up on a live one after the timeout", async () => {
    expect(groupHasLiveMembers(2 ** 22 + 7)).toBe(false);
    const leader = spawn("sleep", ["30"], { detached: true, stdio: "ignore" });
    const pgid = leader.pid ?? 0;
    try {
      expect(await waitGroupGone(pgid, 50)).toBe(false);
    } finally {
      killGroup(pgid, "SIGKILL");
      await once(leader, "exit");
    }
  });
});
