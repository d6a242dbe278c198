import { isIP } from "node:net";
import { Command, Option } from "commander";
import { argParser, booleanFlag, durationArg, type Env, flag, hostPortArg, parseDuration, parseHostPort, parseProgram, positiveDurationArg, type HostPort } from "@kube-dns/flagvalues";
import { DEFAULT_PREFIX, normalizeName } from "@kube-dns/msg";
import { LOG_LEVELS, type LogLevel } from "@kube-dns/log";

/** Config is the whole configuration of one skydns server, typed and frozen. */
export interface Config {
  /** Where UDP and TCP are served (port 0 picks a free one). */
  readonly addr: HostPort;
  /** The cluster domain, a lowercase FQDN with the trailing dot. */
  readonly domain: string;
  /** etcd client URLs. */
  readonly machines: readonly string[];
  /** CA bundle that signs etcd's certificate (https machines), as skydns's -ca-cert. */
  readonly caCert: string | undefined;
  /** Client certificate and key for etcd's --client-cert-auth, as skydns's -tls-pem and -tls-key. */
  readonly tlsPem: string | undefined;
  readonly tlsKey: string | undefined;
  /** Extra zones answered from the records besides the domain, lowercase FQDNs (the config key may add more). */
  readonly zones: readonly string[];
  /** The etcd prefix of the records, e.g. `/skydns`. */
  readonly pathPrefix: string;
  /** Upstream servers for names outside the domain; empty means /etc/resolv.conf's. */
  readonly nameservers: readonly HostPort[];
  /** true: never forward; names outside the zones are REFUSED. */
  readonly noRec: boolean;
  /** Rotate the starting upstream per query instead of always trying the first. */
  readonly nsRotate: boolean;
  /** Per-try timeout for an upstream exchange. */
  readonly forwardTimeoutMs: number;
  /** Forwarded queries waiting on upstreams at most; past it a query is REFUSED at once (CoreDNS's max_concurrent). */
  readonly forwardMaxConcurrent: number;
  /** Entries in the forwarded-answer cache (0 disables it). */
  readonly cacheSize: number;
  /** TCP connections open at most; a new one past it closes the idlest. */
  readonly tcpMaxConnections: number;
  /** A TCP connection with no query or reply for this long is closed. */
  readonly tcpIdleTimeoutMs: number;
  /** TTL for records that carry none. */
  readonly ttlSeconds: number;
  /** Floor for every TTL served from the zone. */
  readonly minTtlSeconds: number;
  /** Addresses of ns.dns.<domain>, the glue of the apex NS record; empty means the listen address. */
  readonly nsAddresses: readonly string[];
  /** Serve `*` / `any` labels as wildcards. */
  readonly wildcards: boolean;
  /** Rotate A/AAAA answers between queries. */
  readonly roundRobin: boolean;
  /** Where /metrics, /health and /ready are served; undefined disables the HTTP server. */
  readonly metricsAddr: HostPort | undefined;
  readonly logLevel: LogLevel;
  /** Log one line per query, prepared replies included. */
  readonly verbose: boolean;
  /** Processes answering queries, each with its own index, sharing the UDP and TCP ports (1: this process alone). */
  readonly workers: number;
  /** Walk a pod's search path on the server for the first name it asks (autopath.ts). */
  readonly autopath: boolean;
}

/** DEFAULTS are the values of every flag not given. */
export const DEFAULTS = {
  addr: "127.0.0.1:53",
  domain: "cluster.local.",
  machines: "http://127.0.0.1:2379",
  forwardTimeout: "2s",
  cacheSize: "10000",
  forwardMaxConcurrent: "1000",
  tcpMaxConnections: "1000",
  tcpIdleTimeout: "10s",
  ttl: "30",
  minTtl: "0",
  metricsAddr: "127.0.0.1:9153",
  logLevel: "info",
  workers: "1",
} as const;

// What commander hands back: attribute names from the flags, values after the argParsers.
interface Parsed {
  addr: HostPort;
  domain: string;
  zones: string;
  machines: string;
  caCert?: string;
  tlsPem?: string;
  tlsKey?: string;
  pathPrefix: string;
  nameservers: string;
  rec: boolean;
  nsRotate: boolean;
  rtimeout: number;
  rcache: number;
  forwardMaxConcurrent: number;
  tcpMaxConnections: number;
  tcpIdleTimeout: number;
  ttl: number;
  minTtl: number;
  nsAddress: string;
  wildcards: boolean;
  roundRobin: boolean;
  metricsAddr: string;
  logLevel: LogLevel;
  verbose: boolean;
  workers: number;
  autopath: boolean;
}

function program(): Command {
  return new Command("skydns")
    .description("DNS server for the cluster domain, answering from an etcd-fed in-memory index, forwarding the rest")
    .exitOverride()
    .configureOutput({ writeOut: (s) => process.stdout.write(s), writeErr: (s) => process.stderr.write(s) })
    .addOption(flag("--addr <host:port>", "address to serve DNS on, UDP and TCP", "SKYDNS_ADDR").argParser(hostPortArg("0.0.0.0")).default(parseHostPort(DEFAULTS.addr), DEFAULTS.addr))
    .addOption(flag("--domain <name>", "the cluster domain served authoritatively", "SKYDNS_DOMAIN").default(DEFAULTS.domain))
    .addOption(flag("--zones <name,...>", "more zones answered from the records under their reversed paths, never forwarded", "SKYDNS_ZONES").default(""))
    .addOption(flag("--machines <urls>", "etcd client URLs, comma separated", "ETCD_MACHINES").default(DEFAULTS.machines))
    .addOption(flag("--ca-cert <file>", "CA bundle that signs etcd's certificate", "ETCD_CACERT"))
    .addOption(flag("--tls-pem <file>", "client certificate for etcd", "ETCD_TLSPEM"))
    .addOption(flag("--tls-key <file>", "client key for etcd", "ETCD_TLSKEY"))
    .addOption(flag("--path-prefix <path>", "etcd prefix of the records", "SKYDNS_PATH_PREFIX").default(DEFAULT_PREFIX))
    .addOption(flag("--nameservers <host:port,...>", "upstream servers for other names", "SKYDNS_NAMESERVERS").default("", "the nameservers of /etc/resolv.conf"))
    .addOption(flag("--no-rec", "do not forward; answer REFUSED for names outside the served zones", "SKYDNS_NO_REC"))
    .addOption(booleanFlag("ns-rotate", "start with a different upstream per query", "SKYDNS_NS_ROTATE"))
    .addOption(flag("--rtimeout <duration>", "per-try timeout of an upstream exchange", "SKYDNS_RTIMEOUT").argParser(durationArg).default(parseDuration(DEFAULTS.forwardTimeout), DEFAULTS.forwardTimeout))
    .addOption(flag("--rcache <entries>", "size of the forwarded-answer cache, 0 disables it", "SKYDNS_RCACHE").argParser(wholeNumber).default(Number(DEFAULTS.cacheSize)))
    .addOption(flag("--forward-max-concurrent <queries>", "forwarded queries waiting on upstreams at most; more are REFUSED", "SKYDNS_FORWARD_MAX_CONCURRENT").argParser(positiveNumber).default(Number(DEFAULTS.forwardMaxConcurrent)))
    .addOption(flag("--tcp-max-connections <count>", "TCP connections open at most; a new one closes the idlest", "SKYDNS_TCP_MAX_CONNECTIONS").argParser(positiveNumber).default(Number(DEFAULTS.tcpMaxConnections)))
    .addOption(flag("--tcp-idle-timeout <duration>", "close a TCP connection with no query or reply for this long", "SKYDNS_TCP_IDLE_TIMEOUT").argParser(positiveDurationArg).default(parseDuration(DEFAULTS.tcpIdleTimeout), DEFAULTS.tcpIdleTimeout))
    .addOption(flag("--ttl <seconds>", "TTL of records that carry none", "SKYDNS_TTL").argParser(wholeNumber).default(Number(DEFAULTS.ttl)))
    .addOption(flag("--min-ttl <seconds>", "floor for every TTL served from the zone", "SKYDNS_MIN_TTL").argParser(wholeNumber).default(Number(DEFAULTS.minTtl)))
    .addOption(flag("--ns-address <ip,...>", "address(es) of ns.dns.<domain>, the NS glue", "SKYDNS_NS_ADDRESS").default("", "the listen address"))
    .addOption(booleanFlag("wildcards", "serve `*` and `any` labels as wildcards", "SKYDNS_WILDCARDS"))
    .addOption(booleanFlag("round-robin", "rotate A/AAAA answers between queries", "SKYDNS_ROUND_ROBIN", true))
    .addOption(new Option("--no-round-robin", "same as --round-robin=false"))
    .addOption(flag("--metrics-addr <host:port>", "address of /metrics, /health and /ready; empty disables", "SKYDNS_METRICS_ADDR").default(DEFAULTS.metricsAddr))
    .addOption(flag("--log-level <level>", "log level", "SKYDNS_LOG_LEVEL").choices(LOG_LEVELS).default(DEFAULTS.logLevel))
    .addOption(booleanFlag("verbose", "log every query as {msg:\"query\",qname,qtype,rcode}", "SKYDNS_VERBOSE"))
    .addOption(flag("--workers <count>", "processes answering DNS, each with its own index, on the same ports; /metrics sums them", "SKYDNS_WORKERS").argParser(positiveNumber).default(Number(DEFAULTS.workers)))
    .addOption(booleanFlag("autopath", "answer a pod's first search-path name (<name>.<ns>.svc.<domain>) from the name of its search path that exists, when the client's address holds pod records of <ns> alone", "SKYDNS_AUTOPATH"));
}

/** helpText is the --help output, for the README and tests. */
export function helpText(): string {
  return program().helpInformation();
}

/**
 * parseFlags reads the command line (without node and script; the process's by default) and the environment into a
 * frozen Config. It throws (a CommanderError for --help/unknown flags, an Error for a bad value) instead of exiting.
 */
export function parseFlags(argv: readonly string[] = process.argv.slice(2), env: Env = process.env): Config {
  const options = parseProgram<Parsed>(program(), argv, env);
  return Object.freeze({
    addr: options.addr,
    domain: normalizeName(options.domain),
    zones: Object.freeze(list(options.zones).map(normalizeName)),
    machines: Object.freeze(list(options.machines)),
    caCert: options.caCert || undefined,
    tlsPem: options.tlsPem || undefined,
    tlsKey: options.tlsKey || undefined,
    pathPrefix: options.pathPrefix.replace(/\/+$/, "") || DEFAULT_PREFIX,
    nameservers: Object.freeze(list(options.nameservers).map(upstreamOf)),
    noRec: !options.rec,
    nsRotate: options.nsRotate,
    forwardTimeoutMs: options.rtimeout,
    cacheSize: options.rcache,
    forwardMaxConcurrent: options.forwardMaxConcurrent,
    tcpMaxConnections: options.tcpMaxConnections,
    tcpIdleTimeoutMs: options.tcpIdleTimeout,
    ttlSeconds: options.ttl,
    minTtlSeconds: options.minTtl,
    nsAddresses: Object.freeze(list(options.nsAddress)),
    wildcards: options.wildcards,
    roundRobin: options.roundRobin,
    metricsAddr: options.metricsAddr === "" ? undefined : parseHostPort(options.metricsAddr, "127.0.0.1"),
    logLevel: options.logLevel,
    verbose: options.verbose,
    workers: options.workers,
    autopath: options.autopath,
  });
}

function list(text: string): string[] {
  return text.split(",").map((item) => item.trim()).filter((item) => item !== "");
}

/** upstreamOf reads `ip:port`, `[v6]:port`, a bare IPv4 or a bare IPv6 address (port 53). */
export function upstreamOf(server: string): HostPort {
  if (isIP(server) !== 0) return { host: server, port: 53 };
  return parseHostPort(server);
}

// A whole-number flag of at least `least` (a count of 0 may mean "off"; a cap may not).
function wholeNumberArg(least: number): (text: string) => number {
  return argParser((text: string): number => {
    if (!/^\d+$/.test(text.trim()) || Number(text) < least) throw new Error(least > 0 ? `must be a whole number of at least ${least}` : "must be a whole number");
    return Number(text);
  });
}

const wholeNumber = wholeNumberArg(0);
const positiveNumber = wholeNumberArg(1);
