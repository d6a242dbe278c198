import { setTimeout as delay } from "node:timers/promises";

/** ProbeSpec is an HTTP GET probe with the kubelet's knobs (pod spec `livenessProbe` / `readinessProbe`). */
export interface ProbeSpec {
  /** e.g. `http://127.0.0.1:8080/healthz`; a 2xx or 3xx status is a success, as for the kubelet. */
  readonly url: string;
  /** Wait before the first probe; default 0. */
  readonly initialDelayMs?: number;
  /** Time between probes; default 10s. */
  readonly periodMs?: number;
  /** A probe without an answer after this long fails; default 1s. */
  readonly timeoutMs?: number;
  /** Consecutive failures that flip the result to failed; default 3. */
  readonly failureThreshold?: number;
  /** Consecutive successes that flip the result to succeeded; default 1. */
  readonly successThreshold?: number;
}

/** ProbeCounts is a probe's running tally: consecutive successes and failures, and the current verdict. */
export interface ProbeCounts {
  readonly successes: number;
  readonly failures: number;
  readonly passing: boolean;
}

/** probeCounts folds one probe result into the tally, flipping the verdict at the spec's thresholds. */
export function probeCounts(previous: ProbeCounts, ok: boolean, spec: ProbeSpec): ProbeCounts {
  const successes = ok ? previous.successes + 1 : 0;
  const failures = ok ? 0 : previous.failures + 1;
  let passing = previous.passing;
  if (successes >= (spec.successThreshold ?? 1)) passing = true;
  if (failures >= (spec.failureThreshold ?? 3)) passing = false;
  return { successes, failures, passing };
}

/** httpCheck GETs url once and tells whether it answered 200 to 399 within timeoutMs. */
export async function httpCheck(url: string, timeoutMs: number): Promise<boolean> {
  try {
    const response = await fetch(url, { redirect: "manual", signal: AbortSignal.timeout(timeoutMs) });
    await response.body?.cancel();
    return response.status >= 200 && response.status < 400;
  } catch {
    return false;
  }
}

/**
 * runProbe probes spec.url every period until signal aborts, calling onVerdict each time the verdict flips.
 * The verdict starts as `initial` (a readiness probe starts failing; a liveness probe starts passing).
 */
export async function runProbe(spec: ProbeSpec, initial: boolean, onVerdict: (passing: boolean) => void, signal: AbortSignal): Promise<void> {
  let counts: ProbeCounts = { successes: 0, failures: 0, passing: initial };
  try {
    await delay(spec.initialDelayMs ?? 0, undefined, { signal });
    // Bounded by the child's life: the signal aborts when its process exits or the supervisor stops.
    while (!signal.aborted) {
      const ok = await httpCheck(spec.url, spec.timeoutMs ?? 1000);
      if (signal.aborted) return;
      const next = probeCounts(counts, ok, spec);
      if (next.passing !== counts.passing) onVerdict(next.passing);
      counts = next;
      await delay(spec.periodMs ?? 10_000, undefined, { signal });
    }
  } catch (error) {
    if (!signal.aborted) throw error;
  }
}
