import { describe, expect, it } from "vitest";
import { barChart, lineChart, niceMax } from "./svg.js";

const chart = {
  title: "Queries <per> second",
  categories: ["no EDNS", "EDNS"],
  yLabel: "queries/s",
  series: [{ name: "skydns", values: [40_000, Number.NaN] }, { name: "dnsmasq", values: [80_000, 60_000] }],
};

describe("svg charts", () => {
  it("rounds an axis maximum up to a round number", () => {
    expect([niceMax(0), niceMax(0.7), niceMax(1), niceMax(1.2), niceMax(23), niceMax(80_000), niceMax(81_000)]).toEqual([1, 1, 1, 2, 25, 100_000, 100_000]);
  });

  it("draws one bar per finite value, scaled to the axis, with escaped labels and a legend", () => {
    const svg = barChart(chart);
    expect(svg.startsWith("<svg xmlns=\"http://www.w3.org/2000/svg\"")).toBe(true);
    expect(svg.trimEnd().endsWith("</svg>")).toBe(true);
    expect(svg).toContain("Queries &lt;per&gt; second");
    const bars = [...svg.matchAll(/<rect [^>]*height="([\d.]+)" fill="#[0-9a-f]+"><title>/g)].map((m) => Number(m[1]));
    expect(bars).toHaveLength(3); // the NaN leaves a gap
    // Plot height 220 px for an axis of 0..100k: 40k, 80k and 60k are 88, 176 and 132 px tall.
    expect(bars).toEqual([88, 176, 132]);
    expect(svg).toContain(">100k<");
    expect(svg).toContain(">skydns<");
    expect(svg).toContain(">dnsmasq<");
  });

  it("draws a line through each series' points and a dashed reference line with its label", () => {
    const svg = lineChart({ ...chart, categories: ["10,000", "50,000", "100,000"], series: [{ name: "RSS", values: [100, 200, 400] }], reference: { value: 450, label: "limit" } });
    const path = /<path d="([^"]+)"/.exec(svg)?.[1] ?? "";
    expect(path.split(" ")).toHaveLength(3);
    expect(path.startsWith("M64.0,")).toBe(true);
    expect(svg.match(/<circle /g)).toHaveLength(3);
    expect(svg).toContain("stroke-dasharray");
    expect(svg).toContain(">limit<");
    expect(svg).toContain(">100,000<");
  });
});
