import { describe, expect, it } from "vitest";
import { timeSlicer } from "./slice.js";

describe("timeSlicer", () => {
  it("lets a timer due during long synchronous work run before the work ends", async () => {
    const pause = timeSlicer(5);
    let timerRanAt = -1;
    setTimeout(() => {
      timerRanAt = done;
    }, 1);
    let done = 0;
    const until = Date.now() + 60;
    while (Date.now() < until) {
      for (let i = 0; i < 1e4; i++) Math.sqrt(i);
      done++;
      await pause();
    }
    expect(timerRanAt).toBeGreaterThanOrEqual(0);
    expect(timerRanAt).toBeLessThan(done);
  });

  it("does not yield before a slice has passed", () => {
    const pause = timeSlicer(60_000);
    expect(pause()).toBeUndefined();
  });
});
