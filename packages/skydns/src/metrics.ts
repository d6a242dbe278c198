import { Counter, Gauge, type Registry } from "prom-client";
import type { Reply } from "./answer.js";
import type { WatchState } from "./backend.js";
import type { Buckets } from "./buckets.js";
import { registerHistogram, type Series } from "./histogram.js";
import type { Programming } from "./programming.js";
import { CLOSE_REASONS, QTYPE_NAMES, STATS_LAYOUT, type Stats, WRITER_NAMES } from "./stats.js";
import { rcodeName } from "./wire.js";

/** NAMESPACE and SUBSYSTEM prefix the metrics CoreDNS has no name for: `kubedns_skydns_...`. */
export const NAMESPACE = "kubedns";
export const SUBSYSTEM = "skydns";
/** COREDNS prefixes the metrics served under CoreDNS's names and labels, so its dashboards and alerts read ours. */
export const COREDNS = "coredns";

/** MetricSources are the live values the metrics read when scraped. */
export interface MetricSources {
  readonly stats: Stats;
  /** CoreDNS's `server` label: `dns://HOST:PORT` of the DNS listener. */
  readonly server: string;
  /** CoreDNS's `family` label of the listener: "1" for IPv4, "2" for IPv6. */
  readonly family: string;
  /** The cluster domain as a `zone` label, `cluster.local.`. */
  readonly domain: string;
  readonly version: string;
  /** Forwarding is on: the forward and cache metrics describe something. */
  readonly forwarding: boolean;
  /** The search path is on (--autopath): its success counter describes something. */
  readonly autopath: boolean;
  readonly records: () => number;
  /** Keys skipped or clamped now, by reason. */
  readonly flagged: () => ReadonlyMap<string, number>;
  readonly revision: () => number;
  readonly watchState: () => WatchState;
  readonly preparedEntries: () => number;
  /** The forwarded-answer cache's values, to count entries by type. */
  readonly cached: () => Iterable<Reply>;
  /** Query path faults (CoreDNS counts recovered panics). */
  readonly faults: () => number;
  /** Forwarded queries waiting on upstreams now. */
  readonly forwardWaiting: () => number;
  /** TCP connections open now. */
  readonly tcpConnections: () => number;
  /** The etcd revision of the config key in force; 0 for none (the flags alone). */
  readonly configRevision: () => number;
  /** The last hop of DNS programming, read from kube2sky's programmed key. */
  readonly programming: Programming;
  /** The index's records by kind, counted once per revision. */
  readonly recordKinds: () => ReadonlyMap<string, number>;
}

type Read = (set: (labels: Record<string, string>, value: number) => void) => void;
/**
 * How --workers' primary combines a metric across workers: counters, histograms and most gauges are summed; a gauge
 * every worker holds alike (a revision, a state, a size of the index) is shown as the workers' min or max instead.
 */
type Aggregator = "sum" | "min" | "max";
type Declare = (name: string, help: string, labelNames: string[], read: Read, aggregator?: Aggregator) => void;

const WATCH_STATES: readonly WatchState[] = ["loading", "watching", "disconnected", "stopped"];
const PROTO_NAMES = ["udp", "tcp"];

/**
 * createMetrics declares every metric on registry (nothing at import time). Nothing here runs per query: counters and
 * histograms are read from Stats when Prometheus scrapes. The CoreDNS metrics carry CoreDNS's label sets
 * (plugin/metrics, plugin/cache and plugin/forward READMEs), with `view` always empty (there are no views).
 */
export function createMetrics(registry: Registry, sources: MetricSources): void {
  const { stats, server } = sources;
  const zoneNames = [sources.domain, ".", "dropped"];
  const registers = [registry];
  const counter: Declare = (name, help, labelNames, read) => {
    new Counter({
      name, help, labelNames, registers,
      collect() {
        this.reset();
        read((labels, value) => {
          if (value > 0) this.inc(labels, value);
        });
      },
    });
  };
  const gauge: Declare = (name, help, labelNames, read, aggregator = "sum") => {
    new Gauge({ name, help, labelNames, registers, aggregator, collect() { this.reset(); read((labels, value) => this.set(labels, value)); } });
  };
  const ours = (suffix: string): string => `${NAMESPACE}_${SUBSYSTEM}_${suffix}`;
  const { writers, types, rcodes } = STATS_LAYOUT;

  gauge(`${COREDNS}_build_info`, "A metric with a constant '1' value labeled by version, revision, and goversion from which CoreDNS was built.", ["version", "revision", "goversion"], (set) =>
    set({ version: sources.version, revision: "", goversion: process.version }, 1), "max");
  counter(`${COREDNS}_panics_total`, "Query path faults, each answered SERVFAIL (CoreDNS counts recovered panics).", [], (set) => set({}, sources.faults()));
  counter(`${COREDNS}_dns_requests_total`, "Counter of DNS requests made per zone, protocol and family.", ["server", "zone", "view", "proto", "family", "type"], (set) => {
    stats.requests.forEach((value, i) => {
      const zone = Math.floor(i / (2 * types));
      set({ server, zone: zoneNames[zone]!, view: "", proto: PROTO_NAMES[Math.floor(i / types) % 2]!, family: sources.family, type: QTYPE_NAMES[i % types]! }, value);
    });
  });
  registerHistogram(registry, {
    name: `${COREDNS}_dns_request_duration_seconds`,
    help: "Histogram of the time (in seconds) each request took per zone, from its arrival to its reply's send, prepared replies included.",
    series: () => present(stats.durations, (i) => ({ server, zone: zoneNames[Math.floor(i / types)]!, view: "", type: QTYPE_NAMES[i % types]! })),
  });
  const bySize = (i: number): Record<string, string> => ({ server, zone: zoneNames[i >> 1]!, view: "", proto: PROTO_NAMES[i & 1]! });
  registerHistogram(registry, { name: `${COREDNS}_dns_request_size_bytes`, help: "Size of the request in bytes per zone and protocol.", series: () => present(stats.requestSizes, bySize) });
  registerHistogram(registry, { name: `${COREDNS}_dns_response_size_bytes`, help: "Size of the returned response in bytes.", series: () => present(stats.responseSizes, bySize) });
  counter(`${COREDNS}_dns_responses_total`, "Counter of response status codes.", ["server", "zone", "view", "rcode", "plugin"], (set) => {
    stats.responses.forEach((value, i) => {
      const zone = Math.floor(i / (writers * rcodes));
      set({ server, zone: zoneNames[zone]!, view: "", rcode: rcodeName(i % rcodes), plugin: WRITER_NAMES[Math.floor(i / rcodes) % writers]! }, value);
    });
  });
  gauge(`${COREDNS}_plugin_enabled`, "A metric that indicates whether a plugin is enabled on per server and zone basis.", ["server", "zone", "view", "name"], (set) => {
    set({ server, zone: sources.domain, view: "", name: "etcd" }, 1);
    if (sources.autopath) set({ server, zone: sources.domain, view: "", name: "autopath" }, 1);
    for (const name of sources.forwarding ? ["etcd", "forward", "cache"] : ["etcd"]) set({ server, zone: ".", view: "", name }, 1);
  }, "max");
  if (sources.autopath) counter(`${COREDNS}_autopath_success_total`, "Counter of requests that did autopath.", ["server"], (set) => set({ server }, stats.autopathSuccesses));
  cacheMetrics(counter, gauge, sources);
  forwardMetrics(registry, counter, sources);

  counter(ours("dns_truncated_responses_total"), "UDP responses sent with TC set.", [], (set) => set({}, stats.truncated));
  counter(ours("dns_dropped_total"), "Queries that got no reply (a stray response, a message too short to answer).", [], (set) => set({}, stats.dropped));
  counter(ours("prepared_hits_total"), "Queries answered by giving a prepared reply again.", [], (set) => set({}, stats.preparedHits));
  counter(ours("prepared_misses_total"), "Simple queries with no current prepared reply: the handler answered them in full.", [], (set) => set({}, stats.preparedMisses));
  gauge(ours("prepared_entries"), "Prepared replies held.", [], (set) => set({}, sources.preparedEntries()));
  counter(ours("prepared_evictions_total"), "Prepared replies pushed out by newer ones when their table was full, by table (answers, denials).", ["table"], (set) => {
    set({ table: "answers" }, stats.preparedEvictions[0]!);
    set({ table: "denials" }, stats.preparedEvictions[1]!);
  });
  counter(ours("forward_failures_total"), "Exchanges with an upstream that failed (timeout, error), by upstream.", ["to"], (set) => {
    for (const [to, value] of stats.forwardFailures) set({ to }, value);
  });
  gauge(ours("forward_waiting_queries"), "Forwarded queries waiting on upstreams now (at most --forward-max-concurrent).", [], (set) => set({}, sources.forwardWaiting()));
  gauge(ours("tcp_connections"), "TCP connections open now (at most --tcp-max-connections).", [], (set) => set({}, sources.tcpConnections()));
  counter(ours("tcp_closed_total"), "TCP connections closed, by reason: idle (the idle timeout), evicted (the idlest, for a new one at the cap), client.", ["reason"], (set) => {
    CLOSE_REASONS.forEach((reason, i) => set({ reason }, stats.tcpClosed[i]!));
  });
  gauge(ours("index_records"), "Records in the in-memory index.", [], (set) => set({}, sources.records()), "max");
  gauge(ours("index_revision"), "The etcd revision the index reflects.", [], (set) => set({}, sources.revision()), "min");
  counter(ours("index_invalid_records_total"), "Values under the prefix skipped (or clamped: reason ttl_clamped), by reason; once per key and reason.", ["reason"], (set) => {
    for (const [reason, value] of stats.invalidRecords) set({ reason }, value);
  });
  gauge(ours("index_invalid_keys"), "Keys under the prefix skipped or clamped now, by reason.", ["reason"], (set) => {
    for (const [reason, value] of sources.flagged()) set({ reason }, value);
  }, "max");
  counter(ours("index_loads_total"), "Full reads of the prefix (start, and reloads after a cancelled watch).", [], (set) => set({}, stats.reloads));
  gauge(ours("config_revision"), "The etcd revision of the config key in force; 0 when there is none (the flags alone).", [], (set) => set({}, sources.configRevision()), "min");
  counter(ours("config_refused_total"), "Values of the config key refused as a whole; the last good config stays in force.", [], (set) => set({}, stats.configRefused));
  counter(ours("watch_events_total"), "etcd watch events applied to the index.", [], (set) => set({}, stats.watchEvents));
  gauge(ours("index_records_by_kind"), "Records in the index by kind: service (a service's own name), srv, pod, ptr, other (operators' records, other zones, the schema version); counted once per revision when scraped.", ["kind"], (set) => {
    for (const [kind, value] of sources.recordKinds()) set({ kind }, value);
  });
  registerHistogram(registry, {
    name: ours("programming_sent_to_indexed_seconds"),
    help:
      "DNS programming, last hop: from kube2sky sending an etcd transaction of watch events to this skydns's index holding it (etcd's commit, the watch, the index update), " +
      "read from the /skydns/programmed key that rides in the transaction; kube2sky's clock against ours (one clock in one pod), never below 0.",
    series: () => (sources.programming.sentToIndexed.count > 0 ? [{ labels: {}, buckets: sources.programming.sentToIndexed }] : []),
  });
  counter(ours("programming_refused_total"), "Values of the programmed key that could not be read.", [], (set) => set({}, sources.programming.refused));
  gauge(ours("watch_state"), "1 for the current state of the etcd watch (loading, watching, disconnected, stopped).", ["state"], (set) => {
    for (const state of WATCH_STATES) set({ state }, sources.watchState() === state ? 1 : 0);
  }, "max");
}

// CoreDNS's cache plugin metrics, for the cache of forwarded answers (the names outside the zone: `zones="."`).
function cacheMetrics(counter: Declare, gauge: Declare, sources: MetricSources): void {
  const { stats, server } = sources;
  const at = { server, zones: ".", view: "" };
  gauge(`${COREDNS}_cache_entries`, "The number of elements in the cache.", ["server", "type", "zones", "view"], (set) => {
    let success = 0;
    let denial = 0;
    for (const reply of sources.cached()) {
      if (reply.answers.length > 0) success++;
      else denial++;
    }
    set({ ...at, type: "success" }, success);
    set({ ...at, type: "denial" }, denial);
  });
  counter(`${COREDNS}_cache_requests_total`, "The count of cache requests.", ["server", "zones", "view"], (set) => set(at, stats.cacheHits + stats.cacheNegativeHits + stats.cacheMisses));
  counter(`${COREDNS}_cache_hits_total`, "The count of cache hits.", ["server", "type", "zones", "view"], (set) => {
    set({ ...at, type: "success" }, stats.cacheHits);
    set({ ...at, type: "denial" }, stats.cacheNegativeHits);
  });
  counter(`${COREDNS}_cache_misses_total`, "The count of cache misses. Deprecated, derive misses from cache hits/requests counters.", ["server", "zones", "view"], (set) => set(at, stats.cacheMisses));
  counter(`${COREDNS}_cache_evictions_total`, "The count of cache evictions.", ["server", "type", "zones", "view"], (set) => {
    set({ ...at, type: "success" }, stats.cacheEvictions[0]!);
    set({ ...at, type: "denial" }, stats.cacheEvictions[1]!);
  });
}

// CoreDNS's forward metrics: the proxy histogram it serves now, and the forward_* names its older dashboards read.
function forwardMetrics(registry: Registry, counter: Declare, sources: MetricSources): void {
  const { stats } = sources;
  const exchanges = function* (labels: (to: string, rcode: string) => Record<string, string>): Iterable<Series> {
    for (const [to, byRcode] of stats.forwardDurations) for (const [rcode, buckets] of byRcode) yield { labels: labels(to, rcodeName(rcode)), buckets };
  };
  registerHistogram(registry, {
    name: `${COREDNS}_proxy_request_duration_seconds`,
    help: "Histogram of the time each request took.",
    series: () => exchanges((to, rcode) => ({ proxy_name: "forward", to, rcode })),
  });
  registerHistogram(registry, {
    name: `${COREDNS}_forward_request_duration_seconds`,
    help: "Histogram of the time each request took (deprecated in CoreDNS for coredns_proxy_request_duration_seconds).",
    series: () => exchanges((to, rcode) => ({ to, rcode })),
  });
  counter(`${COREDNS}_forward_requests_total`, "Counter of requests made per upstream (deprecated in CoreDNS).", ["to"], (set) => {
    for (const [to, byRcode] of stats.forwardDurations) set({ to }, [...byRcode.values()].reduce((n, b) => n + b.count, 0));
  });
  counter(`${COREDNS}_forward_responses_total`, "Counter of responses received per upstream (deprecated in CoreDNS).", ["to", "rcode"], (set) => {
    for (const { labels, buckets } of exchanges((to, rcode) => ({ to, rcode }))) set({ ...labels }, buckets.count);
  });
  counter(`${COREDNS}_forward_max_concurrent_rejects_total`, "Counter of the number of queries rejected because the concurrent queries were at maximum.", [], (set) => set({}, stats.forwardRejects));
}

// The series of a Buckets array that have observations, labelled by their index.
function* present(all: readonly Buckets[], labelsOf: (i: number) => Record<string, string>): Iterable<Series> {
  for (let i = 0; i < all.length; i++) if (all[i]!.count > 0) yield { labels: labelsOf(i), buckets: all[i]! };
}
