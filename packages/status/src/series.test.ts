import { describe, expect, it } from "vitest";
import { parseSamples } from "./prometheus.js";
import { TimeSeries } from "./series.js";

const scrape = (requests: number, fast: number, slow: number) =>
  parseSamples(`coredns_dns_requests_total{zone="cluster.local."} ${requests}
coredns_dns_request_duration_seconds_bucket{le="0.001"} ${fast}
coredns_dns_request_duration_seconds_bucket{le="0.01"} ${fast + slow}
coredns_dns_request_duration_seconds_bucket{le="+Inf"} ${fast + slow}
coredns_dns_request_duration_seconds_sum 0
coredns_dns_request_duration_seconds_count ${fast + slow}
`);

describe("TimeSeries", () => {
  it("charts the rate and latency between scrapes, one point per scrape after the first", () => {
    const series = new TimeSeries(10);
    series.add(0, scrape(100, 100, 0));
    expect(series.points()).toEqual([]);
    series.add(5000, scrape(150, 150, 0));
    expect(series.points()[0]).toMatchObject({ at: 5000, qps: 10 });
    expect(series.points()[0]!.p50Seconds).toBeLessThanOrEqual(0.001);
  });

  it("leaves no negative rate when skydns restarted, and no latency when nothing was asked", () => {
    const series = new TimeSeries(10);
    series.add(0, scrape(100, 100, 0));
    series.add(1000, scrape(4, 2, 2));
    expect(series.points()[0]).toMatchObject({ qps: 4 });
    series.add(2000, scrape(4, 2, 2));
    expect(series.points()[1]).toEqual({ at: 2000, qps: 0, p50Seconds: undefined, p99Seconds: undefined });
  });

  it("leaves a gap after a failed scrape and keeps only the last points", () => {
    const series = new TimeSeries(2);
    series.add(0, scrape(0, 0, 0));
    series.add(1000, undefined);
    series.add(2000, scrape(10, 10, 0));
    expect(series.points()).toEqual([]);
    for (let i = 3; i <= 6; i++) series.add(i * 1000, scrape(10 * i, 10 * i, 0));
    expect(series.points().map((p) => p.at)).toEqual([5000, 6000]);
  });
});
