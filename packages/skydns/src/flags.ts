import { isIP } from "node:net";
import { Command, Option } from "commander";
import { parseDuration, parseHostPort, type HostPort } from "@kube-dns/flagvalues";
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
  /** Entries in the forwarded-answer cache (0 disables it). */
  readonly cacheSize: number;
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
}

/** DEFAULTS are the values of every flag not given. */
export const DEFAULTS = {
  addr: "127.0.0.1:53",
  domain: "cluster.local.",
  machines: "http://127.0.0.1:2379",
  forwardTimeout: "2s",
  cacheSize: "10000",
  ttl: "30",
  minTtl: "0",
  metricsAddr: "127.0.0.1:9153",
  logLevel: "info",
} as const;

// Boolean flags read their environment variable here: commander would take any value, "false" too, as true.
// `rec` is the commander name of --no-rec; SKYDNS_NO_REC=true turns it off.
const BOOLEAN_ENV: Readonly<Record<string, { readonly env: string; readonly inverted: boolean }>> = {
  rec: { env: "SKYDNS_NO_REC", inverted: true },
  nsRotate: { env: "SKYDNS_NS_ROTATE", inverted: false },
  wildcards: { env: "SKYDNS_WILDCARDS", inverted: false },
  roundRobin: { env: "SKYDNS_ROUND_ROBIN", inverted: false },
  verbose: { env: "SKYDNS_VERBOSE", inverted: false },
};

function program(): Command {
  return new Command("skydns")
    .description("DNS server for the cluster domain, answering from an etcd-fed in-memory index, forwarding the rest")
    .exitOverride()
    .configureOutput({ writeOut: (s) => process.stdout.write(s), writeErr: (s) => process.stderr.write(s) })
    .addOption(new Option("--addr <host:port>", "address to serve DNS on, UDP and TCP").env("SKYDNS_ADDR").default(DEFAULTS.addr))
    .addOption(new Option("--domain <name>", "the cluster domain served authoritatively").env("SKYDNS_DOMAIN").default(DEFAULTS.domain))
    .addOption(new Option("--machines <urls>", "etcd client URLs, comma separated").env("ETCD_MACHINES").default(DEFAULTS.machines))
    .addOption(new Option("--path-prefix <path>", "etcd prefix of the records").env("SKYDNS_PATH_PREFIX").default(DEFAULT_PREFIX))
    .addOption(new Option("--nameservers <host:port,...>", "upstream servers for other names").env("SKYDNS_NAMESERVERS").default("", "the nameservers of /etc/resolv.conf"))
    .addOption(new Option("--no-rec", "do not forward; answer REFUSED for names outside the served zones (env SKYDNS_NO_REC=true)"))
    .addOption(new Option("--ns-rotate", "start with a different upstream per query (env SKYDNS_NS_ROTATE=true)").default(false))
    .addOption(new Option("--rtimeout <duration>", "per-try timeout of an upstream exchange").env("SKYDNS_RTIMEOUT").default(DEFAULTS.forwardTimeout))
    .addOption(new Option("--rcache <entries>", "size of the forwarded-answer cache, 0 disables it").env("SKYDNS_RCACHE").default(DEFAULTS.cacheSize))
    .addOption(new Option("--ttl <seconds>", "TTL of records that carry none").env("SKYDNS_TTL").default(DEFAULTS.ttl))
    .addOption(new Option("--min-ttl <seconds>", "floor for every TTL served from the zone").env("SKYDNS_MIN_TTL").default(DEFAULTS.minTtl))
    .addOption(new Option("--ns-address <ip,...>", "address(es) of ns.dns.<domain>, the NS glue").env("SKYDNS_NS_ADDRESS").default("", "the listen address"))
    .addOption(new Option("--wildcards", "serve `*` and `any` labels as wildcards (env SKYDNS_WILDCARDS=true)").default(false))
    .addOption(new Option("--no-round-robin", "do not rotate A/AAAA answers (env SKYDNS_ROUND_ROBIN=false)"))
    .addOption(new Option("--metrics-addr <host:port>", "address of /metrics, /health and /ready; empty disables").env("SKYDNS_METRICS_ADDR").default(DEFAULTS.metricsAddr))
    .addOption(new Option("--log-level <level>", "log level").env("SKYDNS_LOG_LEVEL").choices(LOG_LEVELS).default(DEFAULTS.logLevel))
    .addOption(new Option("--verbose", "log every query as {msg:\"query\",qname,qtype,rcode} (env SKYDNS_VERBOSE=true)").default(false));
}

/** helpText is the --help output, for the README and tests. */
export function helpText(): string {
  return program().helpInformation();
}

/**
 * parseFlags reads the command line (without node and script; the process's by default) and the environment into a frozen Config.
 * It throws (a CommanderError for --help/unknown flags, an Error for a bad value) instead of exiting.
 */
export function parseFlags(argv: readonly string[] = process.argv.slice(2), env: NodeJS.ProcessEnv = process.env): Config {
  const command = program();
  command.parse([...argv], { from: "user" });
  const options = command.opts<Record<string, string | boolean>>();
  const flag = (name: string): boolean => {
    const source = BOOLEAN_ENV[name];
    const envValue = source === undefined ? undefined : env[source.env];
    if (source === undefined || command.getOptionValueSource(name) === "cli" || envValue === undefined || envValue === "") {
      return options[name] === true;
    }
    return parseBoolean(envValue, source.env) !== source.inverted;
  };
  // Commander reads process.env itself; the env passed in decides instead, so tests and callers control it.
  const text = (name: string): string => {
    const option = command.options.find((o) => o.attributeName() === name);
    const fromEnv = option?.envVar === undefined ? undefined : env[option.envVar];
    if (command.getOptionValueSource(name) === "cli" || fromEnv === undefined || fromEnv === "") {
      return String(command.getOptionValueSource(name) === "cli" ? options[name] : (option?.defaultValue ?? ""));
    }
    return fromEnv;
  };
  const addr = parseHostPort(text("addr"), "0.0.0.0");
  return Object.freeze({
    addr,
    domain: normalizeName(text("domain")),
    machines: Object.freeze(list(text("machines"))),
    pathPrefix: text("pathPrefix").replace(/\/+$/, "") || DEFAULT_PREFIX,
    nameservers: Object.freeze(list(text("nameservers")).map(upstreamOf)),
    noRec: !flag("rec"),
    nsRotate: flag("nsRotate"),
    forwardTimeoutMs: parseDuration(text("rtimeout")),
    cacheSize: integer(text("rcache"), "--rcache"),
    ttlSeconds: integer(text("ttl"), "--ttl"),
    minTtlSeconds: integer(text("minTtl"), "--min-ttl"),
    nsAddresses: Object.freeze(list(text("nsAddress"))),
    wildcards: flag("wildcards"),
    roundRobin: flag("roundRobin"),
    metricsAddr: text("metricsAddr") === "" ? undefined : parseHostPort(text("metricsAddr"), "127.0.0.1"),
    logLevel: text("logLevel") as LogLevel,
    verbose: flag("verbose"),
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

function integer(text: string, flagName: string): number {
  if (!/^\d+$/.test(text.trim())) throw new Error(`${flagName} must be a whole number, got ${JSON.stringify(text)}`);
  return Number(text);
}

function parseBoolean(text: string, envName: string): boolean {
  if (/^(1|true|yes|on)$/i.test(text)) return true;
  if (/^(0|false|no|off)$/i.test(text)) return false;
  throw new Error(`${envName} must be true or false, got ${JSON.stringify(text)}`);
}
