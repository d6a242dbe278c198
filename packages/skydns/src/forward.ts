import { randomInt } from "node:crypto";
import dnsPacket, { type Answer, type DecodedPacket, type RecordClass, type RecordType } from "dns-packet";
import { replyOf, type Reply } from "./answer.js";
import type { TtlCache } from "./cache.js";
import { exchangeTcp, exchangeUdp } from "./exchange.js";
import type { Logger } from "@kube-dns/log";
import type { Routes, Upstreams } from "./routes.js";
import type { Stats } from "./stats.js";
import { EDNS_UDP_SIZE, NXDOMAIN, RD, REFUSED, SERVFAIL, TC } from "./wire.js";

/** ForwarderOptions configures the upstreams and how they are tried. */
export interface ForwarderOptions {
  /** Which upstreams serve a name: stub domains, the config's nameservers, the flags'; read per query, so a config change applies at once. */
  readonly routes: Routes;
  /** Per-try timeout: a query waits at most this long per upstream, so a dead upstream holds nothing for long. */
  readonly timeoutMs: number;
  /** Queries waiting on upstreams at most; past it a query is REFUSED at once (CoreDNS forward's max_concurrent). */
  readonly maxConcurrent: number;
  /** Start with a different upstream per query instead of always the first. */
  readonly rotate: boolean;
  readonly cache: TtlCache<Reply>;
  readonly stats: Stats;
  readonly log: Logger;
}

const MAX_CACHE_TTL_SECONDS = 3600;

/**
 * Forwarder resolves names outside the zone through upstream servers: UDP first, TCP when the reply is
 * truncated (v1.2 relayed TC, bug 16), each upstream once in turn until one answers. Answers and denials
 * are cached for their TTL (RFC 2308 section 5 for denials); identical questions in flight share one exchange.
 * At most maxConcurrent queries wait on upstreams; the next is REFUSED at once and counted, as CoreDNS's forward does,
 * so a flood of names towards a slow or dead upstream sheds instead of piling up.
 */
export class Forwarder {
  private readonly inflight = new Map<string, Promise<Reply>>();
  private turn = 0;
  private waitingCount = 0;

  constructor(private readonly options: ForwarderOptions) {}

  /** waiting is the number of queries waiting on upstreams now (those sharing an exchange each count). */
  get waiting(): number {
    return this.waitingCount;
  }

  /** available tells whether some name has upstreams now (the RA bit). */
  get available(): boolean {
    return this.options.routes.any;
  }

  /**
   * resolve answers one question (lowercase FQDN) from cache or its upstreams (SERVFAIL when every one fails);
   * undefined when no upstream serves the name.
   */
  resolve(name: string, qtype: string, qclass: string): Promise<Reply> | undefined {
    const upstreams = this.options.routes.upstreamsFor(name);
    return upstreams === undefined ? undefined : this.resolveVia(upstreams, name, qtype, qclass);
  }

  private async resolveVia(upstreams: Upstreams, name: string, qtype: string, qclass: string): Promise<Reply> {
    // Keyed by the upstream set too: once a config change moves a domain elsewhere, the old set's answers are never hit.
    const key = `${upstreams.key}|${name}|${qtype}|${qclass}`;
    const cached = this.options.cache.get(key);
    if (cached !== undefined) {
      if (cached.value.answers.length > 0) this.options.stats.cacheHits++;
      else this.options.stats.cacheNegativeHits++;
      return aged(cached.value, cached.ageSeconds);
    }
    this.options.stats.cacheMisses++;
    // REFUSED, not SERVFAIL: the client may ask another server at once, and nothing caches the refusal.
    if (this.waitingCount >= this.options.maxConcurrent) {
      this.options.stats.forwardRejects++;
      return replyOf(REFUSED);
    }
    this.waitingCount++;
    try {
      const pending = this.inflight.get(key);
      if (pending !== undefined) return await pending;
      const exchange = this.exchange(upstreams.servers, name, qtype, qclass).finally(() => this.inflight.delete(key));
      this.inflight.set(key, exchange);
      const reply = await exchange;
      this.options.cache.set(key, reply, Math.min(cacheTtlOf(reply), MAX_CACHE_TTL_SECONDS));
      return reply;
    } finally {
      this.waitingCount--;
    }
  }

  private async exchange(upstreams: Upstreams["servers"], name: string, qtype: string, qclass: string): Promise<Reply> {
    const { timeoutMs } = this.options;
    const start = this.options.rotate ? this.turn++ % Math.max(upstreams.length, 1) : 0;
    for (let i = 0; i < upstreams.length; i++) {
      const upstream = upstreams[(start + i) % upstreams.length]!;
      const label = `${upstream.host}:${upstream.port}`;
      const id = randomInt(0, 0x10000);
      const query = dnsPacket.encode({
        id,
        flags: RD,
        questions: [{ name, type: qtype as RecordType, class: qclass as RecordClass }],
        additionals: [{ name: ".", type: "OPT", udpPayloadSize: EDNS_UDP_SIZE, flags: 0, options: [] } as unknown as Answer],
      });
      const matches = (packet: DecodedPacket): boolean =>
        packet.id === id && packet.type === "response" && packet.questions?.[0]?.name.toLowerCase().replace(/\.?$/, ".") === name;
      const started = performance.now();
      try {
        let packet = decodeReply(await exchangeUdp(upstream, query, timeoutMs, (bytes) => matchesBytes(bytes, matches)));
        if (((packet.flags ?? 0) & TC) !== 0) packet = decodeReply(await exchangeTcp(upstream, query, timeoutMs));
        if (!matches(packet)) throw new Error("the TCP reply does not match the question");
        this.options.stats.countForward(label, (packet.flags ?? 0) & 0xf, (performance.now() - started) / 1000);
        return replyFrom(packet);
      } catch (error) {
        this.options.stats.countForward(label, undefined, (performance.now() - started) / 1000);
        this.options.log.debug({ upstream: label, name, type: qtype, err: (error as Error).message }, "forward failed");
      }
    }
    return replyOf(SERVFAIL);
  }
}

function matchesBytes(bytes: Buffer, matches: (packet: DecodedPacket) => boolean): boolean {
  try {
    return matches(dnsPacket.decode(bytes));
  } catch {
    return false;
  }
}

function decodeReply(bytes: Buffer): DecodedPacket {
  return dnsPacket.decode(bytes);
}

// Upstream records get lowercase FQDN owners, so that the one equal to the question becomes a pointer to it.
function replyFrom(packet: DecodedPacket): Reply {
  const fqdn = (rr: Answer): Answer => ({ ...rr, name: rr.name.toLowerCase().replace(/\.?$/, ".") }) as Answer;
  const flags = packet.flags ?? 0;
  const answers = (packet.answers ?? []).map(fqdn);
  // RFC 2308 section 5: a denial lives min(SOA TTL, SOA MINIMUM); its SOA says so to the client.
  const negativeSoa = (rr: Answer): Answer =>
    answers.length === 0 && rr.type === "SOA" ? { ...rr, ttl: Math.min(rr.ttl ?? 0, rr.data.minimum ?? 0) } : rr;
  return {
    rcode: flags & 0xf,
    // What skydns relays or caches, it does not own: AA stays clear (RFC 1035 section 4.1.1).
    authoritative: false,
    answers,
    authorities: (packet.authorities ?? []).map(fqdn).map(negativeSoa),
    additionals: (packet.additionals ?? []).filter((rr) => rr.type !== "OPT").map(fqdn),
    rotate: false,
    deps: [],
    serialDependent: false,
    upstreamTarget: undefined,
  };
}

// A positive answer lives as long as its shortest TTL; a denial as long as its SOA says (RFC 2308 section 5).
function cacheTtlOf(reply: Reply): number {
  if (reply.rcode !== 0 && reply.rcode !== NXDOMAIN) return 0;
  if (reply.answers.length > 0) return Math.min(...reply.answers.map((rr) => ttlOfRecord(rr)));
  const soa = reply.authorities.find((rr) => rr.type === "SOA");
  if (soa === undefined || soa.type !== "SOA") return 0;
  return Math.min(soa.ttl ?? 0, soa.data.minimum ?? 0);
}

function ttlOfRecord(rr: Answer): number {
  return "ttl" in rr && typeof rr.ttl === "number" ? rr.ttl : 0;
}

function aged(reply: Reply, ageSeconds: number): Reply {
  const age = (rr: Answer): Answer => ("ttl" in rr ? ({ ...rr, ttl: Math.max(0, ttlOfRecord(rr) - ageSeconds) } as Answer) : rr);
  return { ...reply, answers: reply.answers.map(age), authorities: reply.authorities.map(age), additionals: reply.additionals.map(age) };
}
