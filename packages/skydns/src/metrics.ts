import { Counter, Gauge, Histogram, type Registry } from "prom-client";
import type { WatchState } from "./backend.js";
import type { Stats } from "./stats.js";
import { rcodeName, typeName } from "./wire.js";

/** NAMESPACE and SUBSYSTEM prefix every metric: `kubedns_skydns_...`. */
export const NAMESPACE = "kubedns";
export const SUBSYSTEM = "skydns";

/** MetricSources are the live values the metrics read when scraped. */
export interface MetricSources {
  readonly stats: Stats;
  readonly records: () => number;
  readonly revision: () => number;
  readonly watchState: () => WatchState;
  readonly preparedEntries: () => number;
  readonly cacheEntries: () => number;
}

/** Metrics is what the query path reports to directly (everything else is read at scrape time). */
export interface Metrics {
  /** observeDuration records the time one query took, from its arrival to its reply's send. */
  observeDuration(proto: "udp" | "tcp", seconds: number): void;
}

const WATCH_STATES: readonly WatchState[] = ["loading", "watching", "disconnected", "stopped"];

/** createMetrics declares every metric on registry (nothing at import time) and returns the direct reporters. */
export function createMetrics(registry: Registry, sources: MetricSources): Metrics {
  const { stats } = sources;
  const name = (suffix: string): string => `${NAMESPACE}_${SUBSYSTEM}_${suffix}`;
  const registers = [registry];
  const counter = (suffix: string, help: string, labelNames: string[], read: (set: (labels: Record<string, string>, value: number) => void) => void): void => {
    new Counter({
      name: name(suffix), help, labelNames, registers,
      collect() {
        this.reset();
        read((labels, value) => {
          if (value > 0) this.inc(labels, value);
        });
      },
    });
  };
  const gauge = (suffix: string, help: string, read: () => number): void => {
    new Gauge({ name: name(suffix), help, registers, collect() { this.set(read()); } });
  };

  counter("dns_requests_total", "DNS queries received, by transport and query type.", ["proto", "type"], (set) => {
    for (let i = 0; i < stats.requests.length; i++) {
      const value = stats.requests[i]!;
      if (value > 0) set({ proto: i < 65536 ? "udp" : "tcp", type: typeName(i % 65536) ?? "other" }, value);
    }
  });
  counter("dns_responses_total", "DNS responses sent, by rcode.", ["rcode"], (set) => {
    stats.responses.forEach((value, rcode) => set({ rcode: rcodeName(rcode) }, value));
  });
  const duration = new Histogram({
    name: name("dns_request_duration_seconds"),
    help: "Time from a query's arrival to its reply, prepared replies included.",
    labelNames: ["proto"],
    buckets: [0.00025, 0.0005, 0.001, 0.002, 0.004, 0.008, 0.016, 0.032, 0.064, 0.128, 0.256, 0.512, 1.024, 2.048, 4.096],
    registers,
  });
  counter("dns_truncated_responses_total", "UDP responses sent with TC set.", [], (set) => set({}, stats.truncated));
  counter("prepared_hits_total", "Queries answered by giving a prepared reply again.", [], (set) => set({}, stats.preparedHits));
  counter("prepared_misses_total", "Simple queries with no current prepared reply: the handler answered them in full.", [], (set) => set({}, stats.preparedMisses));
  gauge("prepared_entries", "Prepared replies held.", sources.preparedEntries);
  counter("prepared_evictions_total", "Prepared replies pushed out by newer ones when their table was full, by table (answers, denials).", ["table"], (set) => {
    set({ table: "answers" }, stats.preparedEvictions[0]!);
    set({ table: "denials" }, stats.preparedEvictions[1]!);
  });
  counter("cache_hits_total", "Forwarded answers served from the cache, by kind.", ["type"], (set) => {
    set({ type: "success" }, stats.cacheHits);
    set({ type: "denial" }, stats.cacheNegativeHits);
  });
  counter("cache_misses_total", "Forwarded questions not found in the cache.", [], (set) => set({}, stats.cacheMisses));
  gauge("cache_entries", "Entries in the forwarded-answer cache.", sources.cacheEntries);
  counter("forward_requests_total", "Exchanges with an upstream that got a reply, by upstream.", ["to"], (set) => {
    for (const [to, value] of stats.forwardRequests) set({ to }, value);
  });
  counter("forward_failures_total", "Exchanges with an upstream that failed (timeout, error), by upstream.", ["to"], (set) => {
    for (const [to, value] of stats.forwardFailures) set({ to }, value);
  });
  gauge("index_records", "Records in the in-memory index.", sources.records);
  gauge("index_revision", "The etcd revision the index reflects.", sources.revision);
  counter("index_invalid_records_total", "Values under the prefix skipped as corrupt (each logged once per key).", [], (set) => set({}, stats.invalidRecords));
  counter("index_loads_total", "Full reads of the prefix (start, and reloads after a cancelled watch).", [], (set) => set({}, stats.reloads));
  counter("watch_events_total", "etcd watch events applied to the index.", [], (set) => set({}, stats.watchEvents));
  new Gauge({
    name: name("watch_state"), help: "1 for the current state of the etcd watch (loading, watching, disconnected, stopped).",
    labelNames: ["state"], registers,
    collect() {
      for (const state of WATCH_STATES) this.set({ state }, sources.watchState() === state ? 1 : 0);
    },
  });
  return {
    observeDuration: (proto, seconds) => duration.observe({ proto }, seconds),
  };
}
