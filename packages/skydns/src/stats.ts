import { Buckets, bucketsOf, SIZE_BUCKETS, TIME_BUCKETS } from "./buckets.js";

/** PROTOS indexes the transports in Stats arrays. */
export const PROTO_UDP = 0;
export const PROTO_TCP = 1;
/** Proto is PROTO_UDP or PROTO_TCP. */
export type Proto = typeof PROTO_UDP | typeof PROTO_TCP;

/**
 * Where a query was answered, as CoreDNS's `zone` label says it: the cluster domain, any other name (reverse lookups
 * and forwarded names, as CoreDNS's `.` server block), or not at all ("dropped": malformed, never in a zone).
 */
export const ZONE_DOMAIN = 0;
export const ZONE_ROOT = 1;
export const ZONE_DROPPED = 2;
/** ZoneIndex is one of ZONE_DOMAIN, ZONE_ROOT, ZONE_DROPPED. */
export type ZoneIndex = typeof ZONE_DOMAIN | typeof ZONE_ROOT | typeof ZONE_DROPPED;
const ZONES = 3;

/** Who wrote a reply, as CoreDNS's `plugin` label says it: the server itself (an error), the records, the forwarder. */
export const WRITER_SERVER = 0;
export const WRITER_ETCD = 1;
export const WRITER_FORWARD = 2;
/** Writer is one of WRITER_SERVER, WRITER_ETCD, WRITER_FORWARD. */
export type Writer = typeof WRITER_SERVER | typeof WRITER_ETCD | typeof WRITER_FORWARD;
/** WRITER_NAMES are the `plugin` label values: CoreDNS's etcd plugin is skydns's descendant, reading these records. */
export const WRITER_NAMES: readonly string[] = ["", "etcd", "forward"];
const WRITERS = 3;

/** QTYPE_NAMES are the query types CoreDNS's `type` label names (plugin/metrics/vars/monitor.go); the rest are "other". */
export const QTYPE_NAMES: readonly string[] = [
  "other", "A", "AAAA", "CNAME", "DNSKEY", "DS", "MX", "NSEC3", "NSEC", "NS", "PTR", "RRSIG", "SOA", "SRV", "TXT",
  "HTTPS", "SVCB", "IXFR", "AXFR", "ANY",
];
const QTYPE_CODES = [0, 1, 28, 5, 48, 43, 15, 50, 47, 2, 12, 46, 6, 33, 16, 65, 64, 251, 252, 255];
const TYPES = QTYPE_NAMES.length;
const QTYPE_INDEX = new Uint8Array(65536);
QTYPE_CODES.forEach((code, i) => (QTYPE_INDEX[code] = i));
const RCODES = 17; // 0-15, and 16 for BADVERS

/** Why a TCP connection was closed, indexing Stats.tcpClosed: no query for the idle timeout, the idlest at the cap, by the client. */
export const CLOSE_IDLE = 0;
export const CLOSE_EVICTED = 1;
export const CLOSE_CLIENT = 2;
/** CloseReason is one of CLOSE_IDLE, CLOSE_EVICTED, CLOSE_CLIENT. */
export type CloseReason = typeof CLOSE_IDLE | typeof CLOSE_EVICTED | typeof CLOSE_CLIENT;
/** CLOSE_REASONS are the `reason` label values of kubedns_skydns_tcp_closed_total. */
export const CLOSE_REASONS: readonly string[] = ["idle", "evicted", "client"];

/** Answered is what Stats counts of one answered query. */
export interface Answered {
  readonly zone: ZoneIndex;
  readonly writer: Writer;
  readonly qtypeCode: number;
  readonly rcode: number;
  /** The reply; undefined when the query got none. */
  readonly bytes: Buffer | undefined;
  readonly truncated: boolean;
  /** The search path answered it (--autopath): CoreDNS's coredns_autopath_success_total. */
  readonly searched?: boolean;
}

/**
 * Stats holds the counters of the query path as plain numbers, so that the hot path pays a few array increments and
 * not a prom-client label lookup; metrics.ts reads them when Prometheus scrapes.
 */
export class Stats {
  /** Requests by zone, proto and type index. */
  readonly requests = new Float64Array(ZONES * 2 * TYPES);
  /** Responses by zone, writer and rcode. */
  readonly responses = new Float64Array(ZONES * WRITERS * RCODES);
  /** Query durations by zone and type index. */
  readonly durations = bucketsOf(ZONES * TYPES, TIME_BUCKETS);
  /** Request and response sizes by zone and proto. */
  readonly requestSizes = bucketsOf(ZONES * 2, SIZE_BUCKETS);
  readonly responseSizes = bucketsOf(ZONES * 2, SIZE_BUCKETS);
  /** Simple queries answered from a prepared reply, and those the handler had to answer first. */
  preparedHits = 0;
  preparedMisses = 0;
  /** Prepared replies pushed out by newer ones: [answers, denials]. */
  readonly preparedEvictions = new Float64Array(2);
  truncated = 0;
  dropped = 0;
  cacheHits = 0;
  cacheNegativeHits = 0;
  cacheMisses = 0;
  /** Forwarded answers pushed out of the full cache: [success, denial]. */
  readonly cacheEvictions = new Float64Array(2);
  /** Exchange durations by upstream and the rcode it answered. */
  readonly forwardDurations = new Map<string, Map<number, Buckets>>();
  readonly forwardFailures = new Map<string, number>();
  /** Forwarded queries answered REFUSED at once because --forward-max-concurrent were waiting on upstreams. */
  forwardRejects = 0;
  /** TCP connections closed by us or the client, by CloseReason. */
  readonly tcpClosed = new Float64Array(CLOSE_REASONS.length);
  /** Keys skipped or clamped, by reason, counted once per key and reason (IndexStore's InvalidHandler). */
  readonly invalidRecords = new Map<string, number>();
  /** Values of the config key refused as a whole (the last good config stayed in force). */
  configRefused = 0;
  watchEvents = 0;
  reloads = 0;
  /** Queries the search path answered (--autopath). */
  autopathSuccesses = 0;

  /** countQuery counts one answered query: request, response, duration and sizes. */
  countQuery(answered: Answered, proto: Proto, seconds: number, requestBytes: number): void {
    const { zone } = answered;
    const type = QTYPE_INDEX[answered.qtypeCode & 0xffff]!;
    this.requests[(zone * 2 + proto) * TYPES + type]! += 1;
    this.durations[zone * TYPES + type]!.observe(seconds);
    this.requestSizes[zone * 2 + proto]!.observe(requestBytes);
    if (answered.bytes === undefined) {
      this.dropped++;
      return;
    }
    this.responses[(zone * WRITERS + answered.writer) * RCODES + (answered.rcode > 16 ? 16 : answered.rcode)]! += 1;
    this.responseSizes[zone * 2 + proto]!.observe(answered.bytes.length);
    if (answered.truncated) this.truncated++;
    if (answered.searched === true) this.autopathSuccesses++;
  }

  /** countForward counts one exchange with an upstream: its duration and rcode, or undefined when it failed. */
  countForward(upstream: string, rcode: number | undefined, seconds: number): void {
    if (rcode === undefined) {
      this.forwardFailures.set(upstream, (this.forwardFailures.get(upstream) ?? 0) + 1);
      return;
    }
    let byRcode = this.forwardDurations.get(upstream);
    if (byRcode === undefined) this.forwardDurations.set(upstream, (byRcode = new Map()));
    let buckets = byRcode.get(rcode);
    if (buckets === undefined) byRcode.set(rcode, (buckets = new Buckets(TIME_BUCKETS)));
    buckets.observe(seconds);
  }
}

/** STATS_LAYOUT says how to read the arrays of Stats back into labels (for metrics.ts). */
export const STATS_LAYOUT = { zones: ZONES, writers: WRITERS, types: TYPES, rcodes: RCODES } as const;
