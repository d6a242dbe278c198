// A small SVG chart renderer for the bench report: grouped bars and lines, with axes, ticks, labels and a legend.

/** Series is one named row of values, one per category (bars) or per x (lines); NaN leaves a gap. */
export interface Series {
  readonly name: string;
  readonly values: readonly number[];
}

/** Chart is what both kinds draw: a title, the x positions' labels, the series and the y axis's label. */
export interface Chart {
  readonly title: string;
  readonly categories: readonly string[];
  readonly series: readonly Series[];
  readonly yLabel: string;
  readonly xLabel?: string;
  /** A horizontal dashed line, e.g. a target. */
  readonly reference?: { readonly value: number; readonly label: string };
}

const WIDTH = 640;
const HEIGHT = 320;
const MARGIN = { left: 64, right: 16, top: 36, bottom: 64 } as const;
const COLORS = ["#4e79a7", "#f28e2b", "#59a14f", "#e15759", "#76b7b2", "#b07aa1", "#edc948", "#9c755f"];

/** barChart draws grouped bars: one group per category, one bar per series. */
export function barChart(chart: Chart): string {
  const { plot, y, max } = frame(chart);
  const groupWidth = plot.width / Math.max(1, chart.categories.length);
  const barWidth = (groupWidth * 0.8) / Math.max(1, chart.series.length);
  const bars = chart.series.flatMap((series, s) =>
    series.values.map((value, c) => {
      if (!Number.isFinite(value)) return "";
      const x = plot.left + c * groupWidth + groupWidth * 0.1 + s * barWidth;
      const top = y(Math.min(value, max));
      return `<rect x="${fixed(x)}" y="${fixed(top)}" width="${fixed(barWidth)}" height="${fixed(plot.bottom - top)}" fill="${color(s)}"><title>${escape(`${series.name}, ${chart.categories[c] ?? ""}: ${label(value)}`)}</title></rect>`;
    }),
  );
  const xLabels = chart.categories.map((category, c) => text(plot.left + (c + 0.5) * groupWidth, plot.bottom + 16, category, "middle"));
  return svg(chart, [...axes(chart, plot, y, max), ...bars, ...xLabels, ...reference(chart, plot, y), ...legend(chart)]);
}

/** lineChart draws one line with points per series over the categories, spaced evenly. */
export function lineChart(chart: Chart): string {
  const { plot, y, max } = frame(chart);
  const step = chart.categories.length > 1 ? plot.width / (chart.categories.length - 1) : 0;
  const xAt = (c: number): number => (chart.categories.length > 1 ? plot.left + c * step : plot.left + plot.width / 2);
  const lines = chart.series.flatMap((series, s) => {
    const points = series.values.flatMap((value, c) => (Number.isFinite(value) ? [[xAt(c), y(Math.min(value, max))] as const] : []));
    const path = points.map(([x, py], i) => `${i === 0 ? "M" : "L"}${fixed(x)},${fixed(py)}`).join(" ");
    return [
      `<path d="${path}" fill="none" stroke="${color(s)}" stroke-width="2"/>`,
      ...points.map(([x, py]) => `<circle cx="${fixed(x)}" cy="${fixed(py)}" r="3" fill="${color(s)}"/>`),
    ];
  });
  const xLabels = chart.categories.map((category, c) => text(xAt(c), plot.bottom + 16, category, "middle"));
  return svg(chart, [...axes(chart, plot, y, max), ...lines, ...xLabels, ...reference(chart, plot, y), ...legend(chart)]);
}

/** niceMax rounds a maximum up to 1, 2, 2.5 or 5 times a power of ten, so that ticks fall on round numbers. */
export function niceMax(value: number): number {
  if (!(value > 0) || !Number.isFinite(value)) return 1;
  const power = 10 ** Math.floor(Math.log10(value));
  const step = [1, 2, 2.5, 5, 10].find((m) => m * power >= value) ?? 10;
  return step * power;
}

interface Plot {
  readonly left: number;
  readonly bottom: number;
  readonly width: number;
  readonly height: number;
}

function frame(chart: Chart): { plot: Plot; y: (value: number) => number; max: number } {
  const values = chart.series.flatMap((s) => s.values).filter(Number.isFinite);
  const max = niceMax(Math.max(0, ...values, chart.reference?.value ?? 0));
  const plot = { left: MARGIN.left, bottom: HEIGHT - MARGIN.bottom, width: WIDTH - MARGIN.left - MARGIN.right, height: HEIGHT - MARGIN.top - MARGIN.bottom };
  return { plot, max, y: (value) => plot.bottom - (Math.max(0, value) / max) * plot.height };
}

function axes(chart: Chart, plot: Plot, y: (value: number) => number, max: number): string[] {
  const ticks = Array.from({ length: 6 }, (_, i) => (max * i) / 5);
  return [
    `<line x1="${plot.left}" y1="${plot.bottom}" x2="${plot.left + plot.width}" y2="${plot.bottom}" stroke="#333"/>`,
    `<line x1="${plot.left}" y1="${plot.bottom}" x2="${plot.left}" y2="${plot.bottom - plot.height}" stroke="#333"/>`,
    ...ticks.flatMap((tick) => [
      `<line x1="${plot.left - 4}" y1="${fixed(y(tick))}" x2="${plot.left + plot.width}" y2="${fixed(y(tick))}" stroke="#ddd"/>`,
      text(plot.left - 6, y(tick) + 4, label(tick), "end"),
    ]),
    `<text x="14" y="${fixed(plot.bottom - plot.height / 2)}" font-size="12" text-anchor="middle" transform="rotate(-90 14 ${fixed(plot.bottom - plot.height / 2)})">${escape(chart.yLabel)}</text>`,
    ...(chart.xLabel === undefined ? [] : [text(plot.left + plot.width / 2, plot.bottom + 34, chart.xLabel, "middle")]),
  ];
}

function reference(chart: Chart, plot: Plot, y: (value: number) => number): string[] {
  if (chart.reference === undefined) return [];
  const at = fixed(y(chart.reference.value));
  return [
    `<line x1="${plot.left}" y1="${at}" x2="${plot.left + plot.width}" y2="${at}" stroke="#c00" stroke-dasharray="6 4"/>`,
    text(plot.left + plot.width - 2, y(chart.reference.value) - 4, chart.reference.label, "end", "#c00"),
  ];
}

function legend(chart: Chart): string[] {
  let x = MARGIN.left;
  return chart.series.flatMap((series, s) => {
    const at = x;
    x += 24 + series.name.length * 7;
    return [`<rect x="${at}" y="${HEIGHT - 18}" width="10" height="10" fill="${color(s)}"/>`, text(at + 14, HEIGHT - 9, series.name, "start")];
  });
}

function svg(chart: Chart, parts: readonly string[]): string {
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${HEIGHT}" viewBox="0 0 ${WIDTH} ${HEIGHT}" font-family="sans-serif">`,
    `<rect width="${WIDTH}" height="${HEIGHT}" fill="#fff"/>`,
    `<text x="${WIDTH / 2}" y="22" font-size="15" text-anchor="middle" font-weight="bold">${escape(chart.title)}</text>`,
    ...parts.filter((part) => part !== ""),
    "</svg>",
    "",
  ].join("\n");
}

function text(x: number, y: number, content: string, anchor: "start" | "middle" | "end", fill = "#333"): string {
  return `<text x="${fixed(x)}" y="${fixed(y)}" font-size="11" text-anchor="${anchor}" fill="${fill}">${escape(content)}</text>`;
}

function color(index: number): string {
  return COLORS[index % COLORS.length]!;
}

// Tick and tooltip numbers: thousands as "k", small numbers with their decimals.
function label(value: number): string {
  if (Math.abs(value) >= 10_000) return `${Number((value / 1000).toFixed(1))}k`;
  if (Math.abs(value) >= 100) return value.toFixed(0);
  return String(Number(value.toFixed(2)));
}

function fixed(value: number): string {
  return value.toFixed(1);
}

function escape(content: string): string {
  return content.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}
