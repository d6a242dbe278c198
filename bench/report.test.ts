import { describe, expect, it } from "vitest";
import { fmt, met, renderReport, table, targetTable } from "./report.js";

describe("report formatting", () => {
  it("prints numbers with separators and a dash for what was not measured", () => {
    expect([fmt(12345.678), fmt(0.1234, 2), fmt(Number.NaN), fmt(undefined), fmt(1.5, 1)]).toEqual(["12,346", "0.12", "-", "-", "1.5"]);
  });

  it("renders a Markdown table and escapes pipes in cells", () => {
    expect(table(["a", "b"], [["1", "x|y"]])).toBe("| a | b |\n| --- | --- |\n| 1 | x\\|y |");
  });

  it("says whether each target is met; a value not measured never meets one", () => {
    expect(met({ what: "p99", measured: 0.8, op: "<", limit: 1 })).toBe(true);
    expect(met({ what: "p99", measured: 1, op: "<", limit: 1 })).toBe(false);
    expect(met({ what: "lost", measured: 0, op: "==", limit: 0 })).toBe(true);
    expect(met({ what: "share", measured: 89.9, op: ">=", limit: 90 })).toBe(false);
    expect(met({ what: "ratio", measured: Number.NaN, op: "<=", limit: 1.5 })).toBe(false);
    const text = targetTable([{ what: "CPU ratio", measured: 1.62, op: "<=", limit: 1.5, unit: "x" }]);
    expect(text).toContain("| CPU ratio | 1.62x | <= 1.50x | **no** |");
  });

  it("numbers the sections and links figures and the JSON file under a prefix", () => {
    const meta = { startedAt: new Date("2026-11-30T01:02:03Z"), seconds: 90, machine: "2 cores", command: "bench/run", settings: { QUICK: "1" } };
    const sections = [
      { title: "First", markdown: "one", figures: [{ file: "a.svg", title: "A", svg: "<svg/>" }] },
      { title: "Second", markdown: "two", figures: [] },
    ];
    const text = renderReport(meta, sections, "results.json", "2026-11-30/");
    expect(text).toContain("# kube-dns bench, 2026-11-30T01:02Z");
    expect(text).toContain("[results.json](2026-11-30/results.json)");
    expect(text).toContain("## 1. First\n\none\n\n![A](2026-11-30/a.svg)");
    expect(text).toContain("## 2. Second\n\ntwo");
    expect(text).toContain("(1.5 min)");
  });
});
