import { type Histogram, histogramOf, quantileBetween, type Sample, sumOf } from "./prometheus.js";

/** REQUESTS and DURATIONS are the skydns metrics the series reads, under CoreDNS's names. */
const REQUESTS = "coredns_dns_requests_total";
const DURATIONS = "coredns_dns_request_duration_seconds";

/** Point is one interval between two scrapes of skydns: queries per second and answer latency quantiles in it. */
export interface Point {
  /** The end of the interval, milliseconds since the epoch. */
  readonly at: number;
  readonly qps: number;
  /** Undefined when no query was answered in the interval. */
  readonly p50Seconds: number | undefined;
  readonly p99Seconds: number | undefined;
}

/**
 * TimeSeries keeps the last `capacity` points of skydns's traffic, one per scrape after the first: the oldest point
 * goes first. A counter that went down (skydns restarted) starts from zero again rather than charting a negative rate.
 */
export class TimeSeries {
  private readonly ring: Point[] = [];
  private last: { at: number; requests: number; durations: Histogram | undefined } | undefined;

  constructor(readonly capacity: number) {}

  /** add takes a scrape of skydns's /metrics made at `at`; undefined samples (a failed scrape) leave a gap. */
  add(at: number, samples: readonly Sample[] | undefined): void {
    if (samples === undefined) {
      this.last = undefined;
      return;
    }
    const requests = sumOf(samples, REQUESTS) ?? 0;
    const durations = histogramOf(samples, DURATIONS);
    const last = this.last;
    this.last = { at, requests, durations };
    if (last === undefined || at <= last.at) return;
    const restarted = requests < last.requests || (durations?.count ?? 0) < (last.durations?.count ?? 0);
    const before = restarted ? undefined : last;
    const seconds = (at - last.at) / 1000;
    const quantile = (q: number): number | undefined => (durations === undefined ? undefined : quantileBetween(before?.durations, durations, q));
    this.ring.push({ at, qps: (requests - (before?.requests ?? 0)) / seconds, p50Seconds: quantile(0.5), p99Seconds: quantile(0.99) });
    if (this.ring.length > this.capacity) this.ring.shift();
  }

  /** points lists the points kept, oldest first. */
  points(): readonly Point[] {
    return this.ring;
  }
}
