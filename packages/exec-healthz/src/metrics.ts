import type { RunResult } from "./run.js";

/** The namespace every kube-dns metric shares. */
export const NAMESPACE = "kubedns";
const SUBSYSTEM = "exec_healthz";

/** RunOutcome labels a run: success, failure (non-zero exit or a signal) or timeout. */
export type RunOutcome = "success" | "failure" | "timeout";

const OUTCOMES: readonly RunOutcome[] = ["success", "failure", "timeout"];
const DURATION_BUCKETS_SECONDS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/** The Prometheus text exposition format, version 0.0.4. */
export const CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

/**
 * Metrics are exec-healthz's three instruments: plain numbers rendered in Prometheus's text format. Three series do
 * not need prom-client, and without it the container's anonymous memory is almost a third smaller (README,
 * Description).
 */
export interface Metrics {
  readonly contentType: string;
  /** observe records one finished run. */
  observe(result: RunResult): void;
  /** render gives the page /metrics serves. */
  render(): string;
}

/** createMetrics returns a fresh set of exec-healthz's metrics, every series at zero. */
export function createMetrics(): Metrics {
  const runs = new Map<RunOutcome, number>(OUTCOMES.map((outcome) => [outcome, 0]));
  const bucketCounts = DURATION_BUCKETS_SECONDS.map(() => 0);
  let durationSum = 0;
  let durationCount = 0;
  let lastSuccessSeconds = 0;
  return {
    contentType: CONTENT_TYPE,
    observe(result) {
      const outcome = outcomeOf(result);
      runs.set(outcome, (runs.get(outcome) ?? 0) + 1);
      const seconds = result.durationMs / 1000;
      DURATION_BUCKETS_SECONDS.forEach((le, i) => {
        if (seconds <= le) bucketCounts[i] = (bucketCounts[i] ?? 0) + 1;
      });
      durationSum += seconds;
      durationCount++;
      if (result.ok) lastSuccessSeconds = (result.startedAtMs + result.durationMs) / 1000;
    },
    render() {
      const runsName = `${NAMESPACE}_${SUBSYSTEM}_runs_total`;
      const durationName = `${NAMESPACE}_${SUBSYSTEM}_run_duration_seconds`;
      const lastSuccessName = `${NAMESPACE}_${SUBSYSTEM}_last_success_timestamp_seconds`;
      return [
        ...header(runsName, "counter", "Runs of the health command, by result (success, failure, timeout)."),
        ...OUTCOMES.map((outcome) => `${runsName}{result="${outcome}"} ${runs.get(outcome) ?? 0}`),
        ...header(durationName, "histogram", "How long one run of the health command took, in seconds."),
        ...DURATION_BUCKETS_SECONDS.map((le, i) => `${durationName}_bucket{le="${le}"} ${bucketCounts[i] ?? 0}`),
        `${durationName}_bucket{le="+Inf"} ${durationCount}`,
        `${durationName}_sum ${durationSum}`,
        `${durationName}_count ${durationCount}`,
        ...header(lastSuccessName, "gauge", "Unix time at which the last successful run ended, in seconds; 0 before the first one."),
        `${lastSuccessName} ${lastSuccessSeconds}`,
        "",
      ].join("\n");
    },
  };
}

function header(name: string, type: "counter" | "gauge" | "histogram", help: string): string[] {
  return [`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`];
}

/** outcomeOf names a run's result label. */
export function outcomeOf(result: RunResult): RunOutcome {
  if (result.ok) return "success";
  return result.timedOut ? "timeout" : "failure";
}
