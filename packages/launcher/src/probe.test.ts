import { describe, expect, it } from "vitest";
import { type ProbeCounts, probeCounts } from "./probe.js";

const SPEC = { url: "http://127.0.0.1:1/healthz", failureThreshold: 3, successThreshold: 2 };

function fold(results: boolean[], passing: boolean): boolean[] {
  let counts: ProbeCounts = { successes: 0, failures: 0, passing };
  return results.map((ok) => (counts = probeCounts(counts, ok, SPEC)).passing);
}

describe("probeCounts", () => {
  it("fails only after failureThreshold failures in a row", () => {
    expect(fold([false, false, true, false, false, false], true)).toEqual([true, true, true, true, true, false]);
  });

  it("passes only after successThreshold successes in a row", () => {
    expect(fold([true, false, true, true], false)).toEqual([false, false, false, true]);
  });

  it("uses the kubelet's thresholds by default: 3 failures, 1 success", () => {
    let counts: ProbeCounts = { successes: 0, failures: 0, passing: false };
    counts = probeCounts(counts, true, { url: SPEC.url });
    expect(counts.passing).toBe(true);
    for (const ok of [false, false]) counts = probeCounts(counts, ok, { url: SPEC.url });
    expect(counts.passing).toBe(true);
    expect(probeCounts(counts, false, { url: SPEC.url }).passing).toBe(false);
  });
});
