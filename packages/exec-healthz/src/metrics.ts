import { Counter, Gauge, Histogram, type Registry } from "prom-client";
import type { RunResult } from "./run.js";

/** The namespace every kube-dns metric shares. */
export const NAMESPACE = "kubedns";
const SUBSYSTEM = "exec_healthz";

/** RunOutcome labels a run: success, failure (non-zero exit or a signal) or timeout. */
export type RunOutcome = "success" | "failure" | "timeout";

/** Metrics are exec-healthz's instruments, created on one registry. */
export interface Metrics {
  readonly runs: Counter<"result">;
  readonly runDuration: Histogram;
  readonly lastSuccess: Gauge;
  /** observe records one finished run. */
  observe(result: RunResult): void;
}

/** createMetrics declares exec-healthz's metrics on registry (never the global one). */
export function createMetrics(registry: Registry): Metrics {
  const runs = new Counter({
    name: `${NAMESPACE}_${SUBSYSTEM}_runs_total`,
    help: "Runs of the health command, by result (success, failure, timeout).",
    labelNames: ["result"] as const,
    registers: [registry],
  });
  const runDuration = new Histogram({
    name: `${NAMESPACE}_${SUBSYSTEM}_run_duration_seconds`,
    help: "How long one run of the health command took, in seconds.",
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  const lastSuccess = new Gauge({
    name: `${NAMESPACE}_${SUBSYSTEM}_last_success_timestamp_seconds`,
    help: "Unix time at which the last successful run ended, in seconds; 0 before the first one.",
    registers: [registry],
  });
  return {
    runs,
    runDuration,
    lastSuccess,
    observe(result) {
      runs.inc({ result: outcomeOf(result) });
      runDuration.observe(result.durationMs / 1000);
      if (result.ok) lastSuccess.set((result.startedAtMs + result.durationMs) / 1000);
    },
  };
}

/** outcomeOf names a run's result label. */
export function outcomeOf(result: RunResult): RunOutcome {
  if (result.ok) return "success";
  return result.timedOut ? "timeout" : "failure";
}
