import type { RunResult } from "./run.js";

/** Latest is the result /healthz judges: a real run, or the seed that stands in until the first run ends. */
export interface Latest {
  readonly result: RunResult;
  /** True for the seed put in place at start (see seedResult). */
  readonly seeded: boolean;
}

/** Health is the answer to one GET /healthz. */
export interface Health {
  readonly statusCode: 200 | 503;
  readonly body: string;
}

/**
 * seedResult is the "no error, now" result v1.2 started with, so that /healthz says 200 until the first run
 * ends. It ages like any result, so it can stand in for at most --latency.
 */
export function seedResult(nowMs: number): Latest {
  const result: RunResult = { ok: true, error: "", output: "", droppedBytes: 0, timedOut: false, startedAtMs: nowMs, durationMs: 0 };
  return { result, seeded: true };
}

/** finishedAtMs is when a run ended, the moment its result's age counts from. */
export function finishedAtMs(result: RunResult): number {
  return result.startedAtMs + result.durationMs;
}

/**
 * healthOf judges the latest result at nowMs: 503 when it failed or is older than latencyMs, else 200 with
 * its output. The 503 bodies keep v1.2's wording (exechealthz.go), so the kubelet's event messages read the same.
 */
export function healthOf(latest: Latest, nowMs: number, latencyMs: number): Health {
  const { result } = latest;
  const description = describe(result);
  if (!result.ok) return { statusCode: 503, body: `Healthz probe error: ${description}\n` };
  if (nowMs - finishedAtMs(result) > latencyMs) {
    return { statusCode: 503, body: `Latest result too old to be useful: ${description}.\n` };
  }
  if (latest.seeded) return { statusCode: 200, body: "ok: no run has finished yet (seeded at start)\n" };
  return { statusCode: 200, body: result.output === "" ? "ok\n" : `ok\n${outputOf(result)}` };
}

function describe(result: RunResult): string {
  const at = new Date(finishedAtMs(result)).toISOString();
  return `Result of last exec: ${outputOf(result)}, at ${at}, error ${result.error === "" ? "none" : result.error}`;
}

/** outputOf is a run's captured output, with a marker when the cap cut it. */
export function outputOf(result: RunResult): string {
  return result.droppedBytes === 0 ? result.output : `${result.output}\n[output cut: ${result.droppedBytes} more bytes dropped]\n`;
}
