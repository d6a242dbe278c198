/** ChartPoint is one value at one time (milliseconds); an undefined value is a gap in the line. */
export interface ChartPoint {
  readonly at: number;
  readonly value: number | undefined;
}

/** ChartOptions size a chart and say how to print its values. */
export interface ChartOptions {
  readonly title: string;
  /** The chart's id in the page, for tests and links: `qps-chart`. */
  readonly id: string;
  readonly width: number;
  readonly height: number;
  readonly format: (value: number) => string;
}

const PAD = { left: 56, right: 8, top: 20, bottom: 18 };

/**
 * lineChart draws points as an inline SVG line chart: the time on x (oldest left), the value on y from 0 to the
 * largest value, a gap where a value is missing. Server-rendered text, no script.
 */
export function lineChart(points: readonly ChartPoint[], options: ChartOptions): string {
  const { width, height, title, id, format } = options;
  const values = points.flatMap((p) => (p.value === undefined ? [] : [p.value]));
  const max = Math.max(0, ...values);
  const top = max > 0 ? max : 1;
  const first = points[0]?.at ?? 0;
  const span = Math.max(1, (points[points.length - 1]?.at ?? 0) - first);
  const innerWidth = width - PAD.left - PAD.right;
  const innerHeight = height - PAD.top - PAD.bottom;
  const x = (at: number): number => PAD.left + ((at - first) / span) * innerWidth;
  const y = (value: number): number => PAD.top + innerHeight - (value / top) * innerHeight;
  const segments: string[] = [];
  let current: string[] = [];
  for (const point of points) {
    if (point.value === undefined) {
      if (current.length > 0) segments.push(current.join(" "));
      current = [];
      continue;
    }
    current.push(`${x(point.at).toFixed(1)},${y(point.value).toFixed(1)}`);
  }
  if (current.length > 0) segments.push(current.join(" "));
  const lines = segments.map((s) => (s.includes(" ") ? `<polyline points="${s}"/>` : `<circle cx="${s.split(",")[0]}" cy="${s.split(",")[1]}" r="2"/>`));
  const latest = values.length > 0 ? format(values[values.length - 1]!) : "no data yet";
  return [
    `<svg id="${id}" class="chart" role="img" aria-label="${escapeHtml(title)}" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" data-points="${values.length}">`,
    `<text x="${PAD.left}" y="13" class="title">${escapeHtml(title)}: ${escapeHtml(latest)}</text>`,
    `<text x="${PAD.left - 4}" y="${PAD.top + 4}" class="axis" text-anchor="end">${escapeHtml(format(top))}</text>`,
    `<text x="${PAD.left - 4}" y="${PAD.top + innerHeight}" class="axis" text-anchor="end">0</text>`,
    `<rect x="${PAD.left}" y="${PAD.top}" width="${innerWidth}" height="${innerHeight}" class="frame"/>`,
    `<g class="line">${lines.join("")}</g>`,
    `<text x="${PAD.left}" y="${height - 4}" class="axis">${points.length > 0 ? escapeHtml(clock(first)) : ""}</text>`,
    `<text x="${width - PAD.right}" y="${height - 4}" class="axis" text-anchor="end">${points.length > 0 ? escapeHtml(clock(first + span)) : ""}</text>`,
    "</svg>",
  ].join("\n");
}

/** escapeHtml makes text safe inside HTML text and double-quoted attributes. */
export function escapeHtml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;").replace(/'/g, "&#39;");
}

/** clock prints a time as UTC hours, minutes and seconds. */
export function clock(at: number): string {
  return new Date(at).toISOString().slice(11, 19);
}
