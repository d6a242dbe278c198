import { describe, expect, it } from "vitest";
import type { RunResult } from "./run.js";
import { healthOf, outputOf, seedResult } from "./status.js";

const T0 = Date.parse("2026-01-02T03:04:05.000Z");
const LATENCY = 30_000;

function run(fields: Partial<RunResult>): RunResult {
  return { ok: true, error: "", output: "", droppedBytes: 0, timedOut: false, startedAtMs: T0, durationMs: 0, ...fields };
}

describe("healthOf", () => {
  it("answers 200 with the output of a fresh successful run", () => {
    const health = healthOf({ result: run({ output: "Name: kubernetes\n" }), seeded: false }, T0 + 1000, LATENCY);
    expect(health).toEqual({ statusCode: 200, body: "ok\nName: kubernetes\n" });
  });

  it("answers 200 'ok' for a fresh successful run without output", () => {
    expect(healthOf({ result: run({}), seeded: false }, T0, LATENCY)).toEqual({ statusCode: 200, body: "ok\n" });
  });

  it("answers 503 with v1.2's wording, the output and the error for a failed run", () => {
    const health = healthOf({ result: run({ ok: false, error: "exit status 1", output: "SERVFAIL" }), seeded: false }, T0, LATENCY);
    expect(health.statusCode).toBe(503);
    expect(health.body).toBe("Healthz probe error: Result of last exec: SERVFAIL, at 2026-01-02T03:04:05.000Z, error exit status 1\n");
  });

  it("answers 503 for a successful result older than the latency, counted from the run's end", () => {
    const result = run({ durationMs: 500, output: "fine" });
    expect(healthOf({ result, seeded: false }, T0 + 500 + LATENCY, LATENCY).statusCode).toBe(200);
    const stale = healthOf({ result, seeded: false }, T0 + 501 + LATENCY, LATENCY);
    expect(stale.statusCode).toBe(503);
    expect(stale.body).toBe("Latest result too old to be useful: Result of last exec: fine, at 2026-01-02T03:04:05.500Z, error none.\n");
  });

  it("answers 200 for the seed until it is older than the latency", () => {
    const seed = seedResult(T0);
    expect(healthOf(seed, T0 + LATENCY, LATENCY)).toEqual({ statusCode: 200, body: "ok: no run has finished yet (seeded at start)\n" });
    expect(healthOf(seed, T0 + LATENCY + 1, LATENCY).statusCode).toBe(503);
  });
});

describe("outputOf", () => {
  it("marks output that the cap cut", () => {
    expect(outputOf(run({ output: "abc", droppedBytes: 7 }))).toBe("abc\n[output cut: 7 more bytes dropped]\n");
    expect(outputOf(run({ output: "abc" }))).toBe("abc");
  });
});
