import { describe, expect, it } from "vitest";
import { CONTENT_TYPE, createMetrics } from "./metrics.js";
import type { RunResult } from "./run.js";

const T0 = Date.parse("2026-01-02T03:04:05.000Z");

function run(fields: Partial<RunResult>): RunResult {
  return { ok: true, error: "", output: "", droppedBytes: 0, timedOut: false, startedAtMs: T0, durationMs: 0, ...fields };
}

describe("createMetrics", () => {
  it("renders every series at zero before the first run, in the text format's shape", () => {
    const page = createMetrics().render();
    expect(page).toContain("# TYPE kubedns_exec_healthz_runs_total counter\n");
    for (const result of ["success", "failure", "timeout"]) expect(page).toContain(`kubedns_exec_healthz_runs_total{result="${result}"} 0\n`);
    expect(page).toContain('kubedns_exec_healthz_run_duration_seconds_bucket{le="+Inf"} 0\n');
    expect(page).toContain("kubedns_exec_healthz_last_success_timestamp_seconds 0\n");
    expect(page.endsWith("\n")).toBe(true);
    expect(createMetrics().contentType).toBe(CONTENT_TYPE);
  });

  it("counts runs by result and keeps cumulative duration buckets", () => {
    const metrics = createMetrics();
    metrics.observe(run({ durationMs: 20 }));
    metrics.observe(run({ ok: false, error: "exit status 1", durationMs: 300 }));
    metrics.observe(run({ ok: false, error: "timed out after 5s", timedOut: true, durationMs: 5000 }));
    const page = metrics.render();
    expect(page).toContain('kubedns_exec_healthz_runs_total{result="success"} 1\n');
    expect(page).toContain('kubedns_exec_healthz_runs_total{result="failure"} 1\n');
    expect(page).toContain('kubedns_exec_healthz_runs_total{result="timeout"} 1\n');
    expect(page).toContain('kubedns_exec_healthz_run_duration_seconds_bucket{le="0.01"} 0\n');
    expect(page).toContain('kubedns_exec_healthz_run_duration_seconds_bucket{le="0.025"} 1\n');
    expect(page).toContain('kubedns_exec_healthz_run_duration_seconds_bucket{le="0.5"} 2\n');
    expect(page).toContain('kubedns_exec_healthz_run_duration_seconds_bucket{le="5"} 3\n');
    expect(page).toContain("kubedns_exec_healthz_run_duration_seconds_sum 5.32\n");
    expect(page).toContain("kubedns_exec_healthz_run_duration_seconds_count 3\n");
  });

  it("sets the last success to the end of the last successful run", () => {
    const metrics = createMetrics();
    metrics.observe(run({ durationMs: 1500 }));
    metrics.observe(run({ ok: false, error: "exit status 1", startedAtMs: T0 + 10_000 }));
    expect(metrics.render()).toContain(`kubedns_exec_healthz_last_success_timestamp_seconds ${(T0 + 1500) / 1000}\n`);
  });
});
