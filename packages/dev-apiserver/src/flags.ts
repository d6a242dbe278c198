import { argParser, type Env, flag, parseProgram, portArg, positiveDurationArg } from "@kube-dns/flagvalues";
import { LOG_LEVELS, type LogLevel } from "@kube-dns/log";
import { Command, Option } from "commander";
import { parseCidr } from "./addresses/cidr.js";

/** Flags are dev-apiserver's parsed command line. */
export interface Flags {
  readonly bindAddress: string;
  readonly port: number;
  readonly etcdServers: string;
  readonly serviceClusterIPRange: string;
  readonly podCidr: string;
  readonly kubeconfigOut: string | undefined;
  readonly token: string | undefined;
  readonly bookmarkIntervalMs: number;
  readonly logLevel: LogLevel;
}

// What commander hands back: attribute names from the flags, values after the argParsers.
interface Parsed {
  bindAddress: string;
  securePort: number;
  port?: number;
  etcdServers: string;
  serviceClusterIpRange: string;
  podCidr: string;
  podIpRange?: string;
  kubeconfigOut?: string;
  token?: string;
  bookmarkInterval: number;
  logLevel: LogLevel;
}


/**
 * parseFlags reads dev-apiserver's command line (without node and the script) and environment; each flag falls back
 * to its DEV_APISERVER_* environment variable, then to its default. Throws commander's CommanderError on bad input or --help.
 */
export function parseFlags(argv: readonly string[] = process.argv.slice(2), env: Env = process.env): Flags {
  const command = new Command("dev-apiserver")
    .description("A small Kubernetes API server over etcd, for the local kube-dns pod and the tests.")
    .exitOverride()
    .addOption(flag("--bind-address <ip>", "address to listen on (loopback unless told otherwise)", "DEV_APISERVER_BIND_ADDRESS").default("127.0.0.1"))
    .addOption(flag("--secure-port <port>", "port to listen on, plain HTTP (0: a free port, printed at start)", "DEV_APISERVER_SECURE_PORT").argParser(portArg).default(0))
    .addOption(new Option("--port <port>", "alias of --secure-port").argParser(portArg).hideHelp())
    .addOption(flag("--etcd-servers <urls>", "etcd client URLs, comma-separated", "DEV_APISERVER_ETCD_SERVERS").default("http://127.0.0.1:2379"))
    .addOption(flag("--service-cluster-ip-range <cidr>", "cluster IPs come from here; the first goes to the kubernetes service", "DEV_APISERVER_SERVICE_CLUSTER_IP_RANGE").argParser(cidr).default("10.0.0.0/16"))
    .addOption(flag("--pod-cidr <cidr>", "pod IPs come from here", "DEV_APISERVER_POD_CIDR").argParser(cidr).default("10.244.0.0/16"))
    .addOption(new Option("--pod-ip-range <cidr>", "alias of --pod-cidr").argParser(cidr).hideHelp())
    .addOption(flag("--kubeconfig-out <path>", "write a kubeconfig for this server here (default: a temporary file, removed on exit)", "DEV_APISERVER_KUBECONFIG_OUT"))
    .addOption(flag("--token <token>", "require this bearer token on every API request (default: no authentication)", "DEV_APISERVER_TOKEN"))
    .addOption(flag("--bookmark-interval <duration>", "time between BOOKMARK events on watches that allow them", "DEV_APISERVER_BOOKMARK_INTERVAL").argParser(positiveDurationArg).default(60_000, "1m"))
    .addOption(flag("--log-level <level>", "trace, debug, info, warn, error, fatal or silent", "DEV_APISERVER_LOG_LEVEL").choices(LOG_LEVELS).default("warn"));
  const options = parseProgram<Parsed>(command, argv, env);
  return Object.freeze({
    bindAddress: options.bindAddress,
    port: options.port ?? options.securePort,
    etcdServers: options.etcdServers,
    serviceClusterIPRange: options.serviceClusterIpRange,
    podCidr: options.podIpRange ?? options.podCidr,
    kubeconfigOut: options.kubeconfigOut,
    token: options.token,
    bookmarkIntervalMs: options.bookmarkInterval,
    logLevel: options.logLevel,
  });
}

const cidr = argParser((text: string): string => parseCidr(text).text);
