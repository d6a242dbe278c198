import type { Metric, Registry } from "prom-client";
import type { Buckets } from "./buckets.js";

/** Series is one labelled histogram series to render. */
export interface Series {
  readonly labels: Readonly<Record<string, string>>;
  readonly buckets: Buckets;
}

/** HistogramOptions name a histogram and say where its series are read at scrape time. */
export interface HistogramOptions {
  readonly name: string;
  readonly help: string;
  /** The series with at least one observation; called on every scrape. */
  readonly series: () => Iterable<Series>;
}

interface Value {
  readonly metricName: string;
  readonly labels: Record<string, string | number>;
  readonly value: number;
}

/**
 * registerHistogram puts on registry a histogram whose counts live in Buckets the query path fills: prom-client's own
 * Histogram would hash the labels of every observation. What a scrape prints is Prometheus' histogram exposition
 * (cumulative `_bucket{le}` lines, `_sum`, `_count`), the same as prom-client prints for its own.
 */
export function registerHistogram(registry: Registry, options: HistogramOptions): void {
  const metric = {
    name: options.name,
    help: options.help,
    type: "histogram",
    aggregator: "sum",
    get: () => Promise.resolve({ name: options.name, help: options.help, type: "histogram", aggregator: "sum", values: valuesOf(options) }),
    reset: () => undefined,
  };
  registry.registerMetric(metric as unknown as Metric);
}

function valuesOf(options: HistogramOptions): Value[] {
  const values: Value[] = [];
  for (const { labels, buckets } of options.series()) {
    let cumulative = 0;
    buckets.bounds.forEach((bound, i) => {
      cumulative += buckets.counts[i]!;
      values.push({ metricName: `${options.name}_bucket`, labels: { ...labels, le: bound }, value: cumulative });
    });
    values.push({ metricName: `${options.name}_bucket`, labels: { ...labels, le: "+Inf" }, value: buckets.count });
    values.push({ metricName: `${options.name}_sum`, labels: { ...labels }, value: buckets.sum });
    values.push({ metricName: `${options.name}_count`, labels: { ...labels }, value: buckets.count });
  }
  return values;
}
