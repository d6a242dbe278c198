/** PROTOS indexes the transports in Stats arrays. */
export const PROTO_UDP = 0;
export const PROTO_TCP = 1;
/** Proto is PROTO_UDP or PROTO_TCP. */
export type Proto = typeof PROTO_UDP | typeof PROTO_TCP;

/**
 * Stats holds the counters of the query path as plain numbers, so that the hot path pays an array
 * increment and not a prom-client label lookup; metrics.ts reads them when Prometheus scrapes.
 */
export class Stats {
  /** Requests by proto * 65536 + qtype. */
  readonly requests = new Float64Array(2 * 65536);
  /** Responses by rcode (0-15; 16 stands for BADVERS). */
  readonly responses = new Float64Array(17);
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
  readonly forwardRequests = new Map<string, number>();
  readonly forwardFailures = new Map<string, number>();
  invalidRecords = 0;
  watchEvents = 0;
  reloads = 0;

  /** countRequest counts one query by transport and type. */
  countRequest(proto: Proto, qtype: number): void {
    this.requests[proto * 65536 + (qtype & 0xffff)]! += 1;
  }

  /** countResponse counts one response by rcode. */
  countResponse(rcode: number): void {
    this.responses[rcode > 16 ? 16 : rcode]! += 1;
  }

  /** countForward counts one exchange with an upstream, failed or not. */
  countForward(upstream: string, failed: boolean): void {
    const counts = failed ? this.forwardFailures : this.forwardRequests;
    counts.set(upstream, (counts.get(upstream) ?? 0) + 1);
  }
}
