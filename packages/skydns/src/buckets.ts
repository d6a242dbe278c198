/**
 * TIME_BUCKETS are CoreDNS's duration buckets (plugin.TimeBuckets: 0.25 ms doubling to 8.192 s), so that a CoreDNS
 * dashboard's latency quantiles read the same from ours.
 */
export const TIME_BUCKETS: readonly number[] = Array.from({ length: 16 }, (_, i) => 0.00025 * 2 ** i);

/** SIZE_BUCKETS are CoreDNS's request and response size buckets in bytes (plugin/metrics/vars). */
export const SIZE_BUCKETS: readonly number[] = [0, 100, 200, 300, 400, 511, 1023, 2047, 4095, 8291, 16e3, 32e3, 48e3, 64e3];

/**
 * Buckets is one histogram series counted by hand: observe finds the bucket with a short loop and adds 1, with no
 * label lookup and no allocation, so the query path can afford it; the counts become Prometheus' cumulative buckets
 * only when scraped (histogram.ts).
 */
export class Buckets {
  /** Observations per bucket, not cumulative; the last slot is +Inf. */
  readonly counts: Float64Array;
  sum = 0;
  count = 0;

  constructor(readonly bounds: readonly number[]) {
    this.counts = new Float64Array(bounds.length + 1);
  }

  /** observe counts one value in the first bucket whose upper bound holds it. */
  observe(value: number): void {
    const { bounds } = this;
    let i = 0;
    while (i < bounds.length && value > bounds[i]!) i++;
    this.counts[i]! += 1;
    this.sum += value;
    this.count++;
  }
}

/** bucketsOf makes n empty series with the same bounds. */
export function bucketsOf(n: number, bounds: readonly number[]): Buckets[] {
  return Array.from({ length: n }, () => new Buckets(bounds));
}
