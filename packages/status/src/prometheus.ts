/** Sample is one line of Prometheus' text format: a name, its labels and a value. */
export interface Sample {
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly value: number;
}

const LINE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})?\s+(\S+)/;
const LABEL = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g;

/** parseSamples reads Prometheus' text exposition format; comments and lines it cannot read are skipped. */
export function parseSamples(text: string): Sample[] {
  const samples: Sample[] = [];
  for (const line of text.split("\n")) {
    if (line === "" || line.startsWith("#")) continue;
    const match = LINE.exec(line);
    if (match === null) continue;
    const labels: Record<string, string> = {};
    for (const pair of (match[2] ?? "").matchAll(LABEL)) labels[pair[1]!] = pair[2]!.replace(/\\(.)/g, (_, c: string) => (c === "n" ? "\n" : c));
    const value = Number(match[3]);
    if (!Number.isNaN(value)) samples.push({ name: match[1]!, labels, value });
  }
  return samples;
}

/** sumOf adds the samples of name whose labels include every one of labels; undefined when there is none. */
export function sumOf(samples: readonly Sample[], name: string, labels: Readonly<Record<string, string>> = {}): number | undefined {
  let sum: number | undefined;
  for (const sample of samples) {
    if (sample.name !== name) continue;
    if (!Object.entries(labels).every(([key, value]) => sample.labels[key] === value)) continue;
    sum = (sum ?? 0) + sample.value;
  }
  return sum;
}

/** byLabel sums the samples of name per value of one label. */
export function byLabel(samples: readonly Sample[], name: string, label: string): Map<string, number> {
  const sums = new Map<string, number>();
  for (const sample of samples) {
    const key = sample.labels[label];
    if (sample.name === name && key !== undefined) sums.set(key, (sums.get(key) ?? 0) + sample.value);
  }
  return sums;
}

/** Histogram is one histogram summed over its label sets: cumulative counts per upper bound, the sum and the count. */
export interface Histogram {
  readonly buckets: ReadonlyMap<number, number>;
  readonly sum: number;
  readonly count: number;
}

/** histogramOf sums the series of a histogram (its `_bucket`, `_sum` and `_count` lines); undefined when absent. */
export function histogramOf(samples: readonly Sample[], name: string): Histogram | undefined {
  const count = sumOf(samples, `${name}_count`);
  if (count === undefined) return undefined;
  const buckets = new Map<number, number>();
  for (const sample of samples) {
    if (sample.name !== `${name}_bucket`) continue;
    const le = sample.labels["le"] === "+Inf" ? Infinity : Number(sample.labels["le"]);
    buckets.set(le, (buckets.get(le) ?? 0) + sample.value);
  }
  return { buckets, sum: sumOf(samples, `${name}_sum`) ?? 0, count };
}

/**
 * quantileBetween estimates the q-quantile of what a histogram counted between two scrapes, as Prometheus'
 * histogram_quantile does: linear inside the bucket that holds it. Undefined when nothing was counted between them.
 */
export function quantileBetween(before: Histogram | undefined, after: Histogram, q: number): number | undefined {
  const total = after.count - (before?.count ?? 0);
  if (total <= 0) return undefined;
  const bounds = [...after.buckets.keys()].sort((a, b) => a - b);
  const rank = q * total;
  let lower = 0;
  let below = 0;
  for (const bound of bounds) {
    const count = (after.buckets.get(bound) ?? 0) - (before?.buckets.get(bound) ?? 0);
    if (count >= rank) {
      if (bound === Infinity) return lower;
      const inside = count - below;
      return inside <= 0 ? bound : lower + ((bound - lower) * (rank - below)) / inside;
    }
    lower = bound;
    below = count;
  }
  return lower;
}
