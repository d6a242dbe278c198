import { describe, expect, it } from "vitest";
import { KUBELET_BACKOFF, ranLongEnough, restartDelayMs } from "./backoff.js";

describe("restartDelayMs", () => {
  it("restarts the first crash at once, then doubles from 10s up to 5m like the kubelet", () => {
    const delays = [0, 1, 2, 3, 4, 5, 6, 7, 50].map((step) => restartDelayMs(step, KUBELET_BACKOFF));
    expect(delays).toEqual([0, 10_000, 20_000, 40_000, 80_000, 160_000, 300_000, 300_000, 300_000]);
  });

  it("takes a small base and cap for tests", () => {
    expect([1, 2, 3, 4].map((step) => restartDelayMs(step, { baseMs: 10, capMs: 25 }))).toEqual([10, 20, 25, 25]);
  });
});

describe("ranLongEnough", () => {
  it("forgets the back-off after twice the cap", () => {
    expect(ranLongEnough(599_999, KUBELET_BACKOFF)).toBe(false);
    expect(ranLongEnough(600_000, KUBELET_BACKOFF)).toBe(true);
  });

  it("takes its own reset time", () => {
    expect(ranLongEnough(100, { baseMs: 10, capMs: 40, resetAfterMs: 1000 })).toBe(false);
  });
});
