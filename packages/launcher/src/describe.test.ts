import { describe, expect, it } from "vitest";
import { describeExit, describeStatus } from "./describe.js";

describe("describeExit", () => {
  it.each([
    [{ code: 1, signal: null }, "exit code 1"],
    [{ code: null, signal: "SIGKILL" as const }, "signal SIGKILL"],
    [{ code: null, signal: null, error: "spawn skydns ENOENT" }, "could not start: spawn skydns ENOENT"],
  ])("describes %j as %s", (status, text) => {
    expect(describeExit(status)).toBe(text);
  });
});

describe("describeStatus", () => {
  it("names the state, readiness, restarts and last exit", () => {
    const status = { name: "skydns", state: "running" as const, pid: 42, restarts: 2, ready: true, lastExit: { code: 1, signal: null } };
    expect(describeStatus(status)).toBe("skydns: running, ready, 2 restarts, last exit code 1");
    expect(describeStatus({ ...status, state: "backoff", ready: false, lastExit: undefined })).toBe("skydns: backoff, 2 restarts");
  });
});
