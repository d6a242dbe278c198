import { describe, expect, it } from "vitest";
import { verdictOf } from "./doctor.js";

describe("verdictOf", () => {
  it("counts every difference and names the first five, kind first", () => {
    const differences = Array.from({ length: 7 }, (_, i) => ({ kind: "missing", key: `/skydns/local/cluster/svc/default/s${i}` }));
    const verdict = verdictOf({ checkedAt: new Date(0), durationMs: 12, differences: [{ kind: "extra" }, ...differences] });
    expect(verdict.differences).toBe(8);
    expect(verdict.lines).toHaveLength(5);
    expect(verdict.lines[0]).toBe("extra");
    expect(verdict.lines[1]).toBe('missing {"key":"/skydns/local/cluster/svc/default/s0"}');
  });
});
