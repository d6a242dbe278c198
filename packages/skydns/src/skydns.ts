import { isIPv6 } from "node:net";
import { networkInterfaces } from "node:os";
import type { HostPort } from "@kube-dns/flagvalues";
import { collectDefaultMetrics, Registry } from "prom-client";
import { EtcdBackend, type WatchState } from "./backend.js";
import { TtlCache } from "./cache.js";
import type { Config } from "./flags.js";
import { Forwarder } from "./forward.js";
import { Handler } from "./handler.js";
import { serveHttp, type HttpEndpoints } from "./http.js";
import { IndexStore } from "./index-store.js";
import { createLogger, type Logger } from "@kube-dns/log";
import { configKeyFor, programmedKeyFor } from "@kube-dns/msg";
import { Programming } from "./programming.js";
import { RecordKinds } from "./record-kinds.js";
import { createMetrics } from "./metrics.js";
import { readNameservers, readSearches } from "./resolv-conf.js";
import { Autopath } from "./autopath.js";
import { questionNameOf } from "./parse.js";
import { PreparedReplies } from "./prepared.js";
import { listen, type Observer } from "./server.js";
import { PROTO_UDP, Stats } from "./stats.js";
import { packageVersion } from "./version.js";
import { rcodeName } from "./wire.js";
import { zoneFor, Zones } from "./zone.js";
import { LiveConfig } from "./live-config.js";
import { Routes } from "./routes.js";
import type { Reply } from "./answer.js";

/** StartOptions are the in-process extras: a registry and logger of the caller's, another resolv.conf. */
export interface StartOptions {
  readonly registry?: Registry;
  readonly log?: Logger;
  readonly resolvConfPath?: string;
}

/** SkyDNS is a running server. */
export interface SkyDNS {
  readonly udpAddress: HostPort;
  readonly tcpAddress: HostPort;
  /** Where /metrics, /health and /ready are served, when enabled. */
  readonly metricsAddress: HostPort | undefined;
  readonly registry: Registry;
  /** ready resolves once the records have been read from etcd (queries get SERVFAIL before); rejects on stop. */
  ready(): Promise<void>;
  /** revision is the etcd revision the index reflects. */
  revision(): number;
  watchState(): WatchState;
  /** waitForRevision resolves once the index reflects at least that etcd revision (e.g. a put's); rejects on stop. */
  waitForRevision(revision: number): Promise<void>;
  /** stop closes the sockets, the HTTP server and the etcd watch. */
  stop(): Promise<void>;
}

/** Prepared replies with answers kept at most: the hot names of a large cluster fit. */
const MAX_PREPARED_ANSWERS = 100_000;
/** Prepared denials kept at most: bounds what a stream of random names can make skydns hold (about 3 MB). */
const MAX_PREPARED_DENIALS = 10_000;

/** loggerFor returns the logger config asks for; --verbose needs at least info, where query lines are written. */
export function loggerFor(config: Config): Logger {
  const verboseLevel = config.logLevel === "silent" || config.logLevel === "trace" || config.logLevel === "debug" ? config.logLevel : "info";
  return createLogger("skydns", config.verbose ? verboseLevel : config.logLevel);
}

/** startSkyDNS starts serving with config: binds DNS and HTTP, starts loading from etcd, resolves once bound. */
export async function startSkyDNS(config: Config, options: StartOptions = {}): Promise<SkyDNS> {
  const log = options.log ?? loggerFor(config);
  const registry = options.registry ?? processRegistry();
  const stats = new Stats();
  const store = new IndexStore(config.pathPrefix, (key, reason, message) => {
    stats.invalidRecords.set(reason, (stats.invalidRecords.get(reason) ?? 0) + 1);
    const what = reason === "ttl_clamped" ? "clamping a value out of range" : "skipping a value skydns cannot serve";
    log.warn({ key: key.slice(0, 300), reason, err: message.slice(0, 500) }, what);
  });
  const zone = zoneFor({ ...config, nsAddresses: config.nsAddresses.length > 0 ? config.nsAddresses : defaultNsAddresses(config.addr.host) });
  const source = { store, zone, prefix: config.pathPrefix };
  const zones = new Zones(zone);
  zones.setExtra(config.zones);
  const upstreams = config.nameservers.length > 0 ? config.nameservers : readNameservers(options.resolvConfPath);
  if (!config.noRec && upstreams.length === 0) log.warn("no upstream nameservers: names outside the zone get REFUSED");
  const cache = new TtlCache<Reply>(config.cacheSize, Date.now, (evicted) => (stats.cacheEvictions[evicted.answers.length > 0 ? 0 : 1]! += 1));
  const routes = new Routes(upstreams);
  // --no-rec forwards nothing, stub domains included: it promises a server that never sends a query elsewhere.
  const forwarder = config.noRec
    ? undefined
    : new Forwarder({ routes, timeoutMs: config.forwardTimeoutMs, maxConcurrent: config.forwardMaxConcurrent, rotate: config.nsRotate, cache, stats, log });
  const prepared = new PreparedReplies({ maxAnswers: MAX_PREPARED_ANSWERS, maxDenials: MAX_PREPARED_DENIALS }, stats, () => store.serial);
  // The node's search domains, which kubelet appends to every pod's: skydns runs with the node's resolv.conf.
  const autopath = config.autopath ? new Autopath(store, config.domain, readSearches(options.resolvConfPath)) : undefined;
  const handler = new Handler({ source, zones, forwarder, roundRobin: config.roundRobin, prepared, autopath });
  const configKey = configKeyFor(config.pathPrefix);
  const live = new LiveConfig({
    key: configKey, served: { clusterDomain: config.domain, flagZones: config.zones }, routes, zones, stats, log,
    onApplied: () => prepared.clear(),
  });
  const programming = new Programming();
  const recordKinds = new RecordKinds(config.domain, () => store.owners(), () => store.revision);
  const waiters = new Set<() => void>();
  let stopped = false;
  const backend = new EtcdBackend({
    machines: config.machines, caFile: config.caCert, certFile: config.tlsPem, keyFile: config.tlsKey, prefix: config.pathPrefix, store, stats, log,
    onChange: (names) => {
      autopath?.track(names);
      prepared.invalidate(names);
      for (const wake of [...waiters]) wake();
    },
    configKey,
    onConfig: (value, modRevision) => live.update(value, modRevision),
    programmedKey: programmedKeyFor(config.pathPrefix),
    onProgrammed: (value) => programming.observe(value, Date.now()),
  });
  let faults = 0;
  const observe: Observer = (handled, proto, seconds, msg) => {
    stats.countQuery(handled, proto, seconds, msg.length);
    if (config.verbose) {
      const qname = handled.name ?? questionNameOf(msg, msg.length);
      log.info({ qname, qtype: handled.type, rcode: rcodeName(handled.rcode), proto: proto === PROTO_UDP ? "udp" : "tcp" }, "query");
    }
  };
  const listeners = await listen({
    addr: config.addr, handler, observe,
    onError: (error) => {
      faults++;
      log.error({ err: error.message }, "query path error");
    },
    tcp: { maxConnections: config.tcpMaxConnections, idleMs: config.tcpIdleTimeoutMs },
    tcpClosed: stats.tcpClosed,
  });
  createMetrics(registry, {
    stats, server: `dns://${config.addr.host}:${config.addr.port}`, family: isIPv6(config.addr.host) ? "2" : "1", domain: config.domain,
    version: packageVersion(), forwarding: forwarder !== undefined, autopath: autopath !== undefined,
    records: () => store.recordCount, flagged: () => store.flagged(), revision: () => store.revision, watchState: () => backend.state,
    preparedEntries: () => prepared.size, cached: () => cache.values(), faults: () => faults,
    forwardWaiting: () => forwarder?.waiting ?? 0, tcpConnections: () => listeners.tcpConnections(), configRevision: () => live.revision,
    programming, recordKinds: () => recordKinds.count(),
  });
  let http: HttpEndpoints | undefined;
  try {
    http = config.metricsAddr === undefined ? undefined : await serveHttp(config.metricsAddr, registry, () => store.loaded, () => programming.recent());
  } catch (error) {
    await listeners.close();
    throw error;
  }
  backend.start();
  log.info({ addr: `${listeners.udpAddress.host}:${listeners.udpAddress.port}`, domain: config.domain, zones: config.zones, upstreams: upstreams.length }, "serving DNS");
  return {
    udpAddress: listeners.udpAddress,
    tcpAddress: listeners.tcpAddress,
    metricsAddress: http?.address,
    registry,
    ready: () => backend.loaded(),
    revision: () => store.revision,
    watchState: () => backend.state,
    waitForRevision: (revision) => new Promise<void>((resolve, reject) => {
      const check = (): void => {
        if (store.revision < revision && !stopped) return;
        waiters.delete(check);
        if (store.revision >= revision) resolve();
        else reject(new Error(`skydns stopped before reaching etcd revision ${revision}`));
      };
      waiters.add(check);
      check();
    }),
    async stop() {
      stopped = true;
      await Promise.all([listeners.close(), http?.close(), backend.stop()]);
      for (const wake of [...waiters]) wake();
    },
  };
}

// The program's own registry also carries prom-client's process metrics (process_cpu_seconds_total,
// process_resident_memory_bytes, ...), which CoreDNS dashboards chart next to the DNS ones.
function processRegistry(): Registry {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  return registry;
}

// The NS glue defaults to the listen address; for a wildcard listen address, to the first external IPv4.
function defaultNsAddresses(listenHost: string): string[] {
  if (listenHost !== "0.0.0.0" && listenHost !== "::" && listenHost !== "") return [listenHost];
  for (const addresses of Object.values(networkInterfaces())) {
    const external = addresses?.find((a) => a.family === "IPv4" && !a.internal);
    if (external !== undefined) return [external.address];
  }
  return ["127.0.0.1"];
}
