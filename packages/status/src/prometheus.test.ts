import { describe, expect, it } from "vitest";
import { byLabel, histogramOf, parseSamples, quantileBetween, sumOf } from "./prometheus.js";

const TEXT = `# HELP x_total a counter
# TYPE x_total counter
x_total{kind="a",zone="z"} 3
x_total{kind="b",zone="z"} 4
x_total{kind="a",zone="y\\"q"} 5
plain 7
h_bucket{le="0.1"} 2
h_bucket{le="1"} 6
h_bucket{le="+Inf"} 8
h_sum 4.5
h_count 8
not a metric line
`;

describe("parseSamples", () => {
  it("reads names, labels (escapes included) and values, and skips comments and junk", () => {
    const samples = parseSamples(TEXT);
    expect(samples).toHaveLength(9);
    expect(samples[2]).toEqual({ name: "x_total", labels: { kind: "a", zone: 'y"q' }, value: 5 });
    expect(sumOf(samples, "x_total")).toBe(12);
    expect(sumOf(samples, "x_total", { kind: "a" })).toBe(8);
    expect(sumOf(samples, "missing")).toBeUndefined();
    expect(Object.fromEntries(byLabel(samples, "x_total", "kind"))).toEqual({ a: 8, b: 4 });
  });
});

describe("histograms", () => {
  const after = histogramOf(parseSamples(TEXT), "h")!;

  it("sums a histogram's buckets, sum and count", () => {
    expect(after.count).toBe(8);
    expect(after.sum).toBe(4.5);
    expect(after.buckets.get(Infinity)).toBe(8);
  });

  it("estimates a quantile linearly inside its bucket, over what was counted between two scrapes", () => {
    expect(quantileBetween(undefined, after, 0.5)).toBeCloseTo(0.1 + 0.9 * (4 - 2) / 4);
    const before = { buckets: new Map([[0.1, 2], [1, 2], [Infinity, 2]]), sum: 0.1, count: 2 };
    // Between the scrapes: 4 in (0.1, 1], 2 above 1.
    expect(quantileBetween(before, after, 0.25)).toBeCloseTo(0.1 + 0.9 * (1.5 / 4));
    expect(quantileBetween(before, after, 0.99)).toBe(1);
    expect(quantileBetween(after, after, 0.5)).toBeUndefined();
  });
});
