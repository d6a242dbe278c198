import { afterEach, describe, expect, it } from "vitest";
import { type ExitStatus, Supervisor, type SupervisorOptions } from "../src/index.js";
import { Collected, isGone, nextEvent, startStatusServer, type StatusServer } from "./helpers.js";

// A loaded machine may take a while to run `sh -c "exit 3"`: never let that count as "ran well" and reset the back-off.
const FAST = { backoff: { baseMs: 20, capMs: 40, resetAfterMs: 600_000 }, graceMs: 2000 };
let supervisor: Supervisor | undefined;
let target: StatusServer | undefined;

function supervise(collected: Collected, options: SupervisorOptions = {}): Supervisor {
  supervisor = new Supervisor({ ...FAST, ...options, output: collected.output });
  return supervisor;
}

describe("Supervisor", () => {
  afterEach(async () => {
    await supervisor?.stop();
    await target?.close();
    supervisor = undefined;
    target = undefined;
  });

  it("prefixes each line of a child's stdout and stderr with its name", async () => {
    const collected = new Collected();
    supervise(collected).start({ name: "skydns", command: "sh", args: ["-c", "echo hello; echo oops >&2; echo $GREETING; exec sleep 30"], env: { GREETING: "hi there" } });
    await Promise.all([collected.line(/hi there/), collected.line(/oops/)]);
    // stdout and stderr are separate pipes, so only the order within each stream is fixed.
    expect(collected.lines.filter((line) => line.stream === "stdout").map((line) => line.text)).toEqual(["[skydns] hello\n", "[skydns] hi there\n"]);
    expect(collected.lines).toEqual(expect.arrayContaining([
      { text: "[skydns] hello\n", stream: "stdout" },
      { text: "[skydns] oops\n", stream: "stderr" },
    ]));
    expect(collected.lines).toHaveLength(3);
  });

  it("restarts a child that exits, backing off like a kubelet: at once, then base, doubling up to the cap", async () => {
    const collected = new Collected();
    const sup = supervise(collected);
    const delays: Array<number | undefined> = [];
    const statuses: ExitStatus[] = [];
    sup.on("exited", (_name, status, restartInMs) => {
      statuses.push(status);
      delays.push(restartInMs);
    });
    sup.start({ name: "kube2sky", command: "sh", args: ["-c", "exit 3"] });
    await nextEvent(sup, "started", (_name, _pid, restarts) => restarts === 4);
    expect(delays).toEqual([0, 20, 40, 40]);
    expect(statuses).toEqual(Array(4).fill({ code: 3, signal: null }));
    expect(sup.status("kube2sky")).toMatchObject({ restarts: 4, lastExit: { code: 3, signal: null } });
  });

  it("restarts a child that cannot start, reporting why", async () => {
    const sup = supervise(new Collected());
    const exited = nextEvent(sup, "exited");
    sup.start({ name: "missing", command: "/nonexistent/kube-dns-binary" });
    const [, status] = await exited;
    expect(status.error).toMatch(/ENOENT/);
    await nextEvent(sup, "started", (_name, _pid, restarts) => restarts === 1);
  });

  it("kills and restarts a child whose liveness probe fails failureThreshold times in a row", async () => {
    target = await startStatusServer(200);
    const sup = supervise(new Collected());
    const first = nextEvent(sup, "started");
    sup.start({ name: "skydns", command: "sleep", args: ["30"], liveness: { url: target.url, periodMs: 20, failureThreshold: 2 } });
    const [, firstPid] = await first;
    const unhealthy = nextEvent(sup, "unhealthy");
    target.status = 503;
    await unhealthy;
    const [, secondPid, restarts] = await nextEvent(sup, "started", (_name, _pid, count) => count === 1);
    expect(restarts).toBe(1);
    expect(secondPid).not.toBe(firstPid);
    expect(isGone(firstPid ?? 0)).toBe(true);
  });

  it("tracks readiness from the readiness probe, and without one a running child is ready", async () => {
    target = await startStatusServer(503);
    const sup = supervise(new Collected());
    sup.start({ name: "plain", command: "sleep", args: ["30"] });
    sup.start({ name: "kube2sky", command: "sleep", args: ["30"], readiness: { url: target.url, periodMs: 20 } });
    expect(sup.status("plain")?.ready).toBe(true);
    expect(sup.status("kube2sky")?.ready).toBe(false);
    target.status = 200;
    await sup.waitReady("kube2sky", 10_000);
    const unready = nextEvent(sup, "ready", (name, ready) => name === "kube2sky" && !ready);
    target.status = 500;
    await unready;
    expect(sup.statuses().map((status) => [status.name, status.ready])).toEqual([["plain", true], ["kube2sky", false]]);
  });

  it("stops every child with its process group, SIGKILLing one that ignores SIGTERM after the grace period", async () => {
    const collected = new Collected();
    const sup = supervise(collected, { graceMs: 200 });
    sup.start({ name: "polite", command: "sh", args: ["-c", "sleep 30 & echo child $!; wait"] });
    sup.start({ name: "stubborn", command: "sh", args: ["-c", "trap '' TERM; sleep 30 & echo child $!; wait; wait"] });
    const pids = await Promise.all(["polite", "stubborn"].map(async (name) => Number((await collected.line(new RegExp(`^\\[${name}\\] child`))).split(" ")[2])));
    const leaders = sup.statuses().map((status) => status.pid ?? 0);
    await sup.stop();
    for (const pid of [...pids, ...leaders]) expect(isGone(pid), `pid ${pid}`).toBe(true);
    expect(sup.statuses().map((status) => status.state)).toEqual(["stopped", "stopped"]);
    expect(() => sup.start({ name: "late", command: "true" })).toThrow(/stopping/);
    await expect(sup.waitReady("polite", 10_000)).rejects.toThrow(/stopped before polite was ready/);
    await expect(sup.waitReady("nobody", 10_000)).rejects.toThrow(/no child named nobody/);
  });

  it("cancels a pending restart on stop", async () => {
    const sup = supervise(new Collected(), { backoff: { baseMs: 60_000, capMs: 60_000 } });
    sup.start({ name: "crashy", command: "false" });
    await nextEvent(sup, "exited", (_name, _status, restartInMs) => restartInMs === 60_000);
    await sup.stop();
    expect(sup.status("crashy")).toMatchObject({ state: "stopped", restarts: 1 });
  });
});
