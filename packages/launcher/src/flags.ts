import { DEFAULT_PREFIX } from "@kube-dns/msg";
import { Command, CommanderError, InvalidArgumentError } from "commander";
import { argParser, booleanFlag, durationArg, type Env, flag, hostPortArg, parseProgram, portArg, positiveDurationArg } from "@kube-dns/flagvalues";
import { resolve } from "node:path";
import { LOG_LEVELS, type LogLevel } from "@kube-dns/log";
import type { DoctorConfig } from "@kube-dns/doctor";
import type { PodConfig } from "./pod.js";
import { CLIENTS, type Client } from "@kube-dns/explain";
import type { StatusWiring } from "./status-page.js";

/** TreeConfig is `kube-dns tree`: which etcd to read and where the records live. */
export interface TreeConfig {
  readonly command: "tree";
  readonly logLevel: LogLevel;
  readonly etcdServer: string;
  /** TLS to etcd, named as kube2sky names it: the CA of etcd's certificate, and ours when etcd asks for one. */
  readonly etcdCaFile: string | undefined;
  readonly etcdCertFile: string | undefined;
  readonly etcdKeyFile: string | undefined;
  readonly prefix: string;
  readonly timeoutMs: number;
}

/** UpConfig is `kube-dns up`: the pod's wiring and the launcher's own log level. */
export interface UpConfig extends PodConfig {
  readonly command: "up";
  readonly logLevel: LogLevel;
  /** The first delay before restarting a container that crashed again (doubling up to 5 minutes), the kubelet's 10s. */
  readonly restartBackoffMs: number;
}

/** ExplainConfig is `kube-dns explain NAME`: the lookup, the pod it is made from, where DNS and etcd are. */
export interface ExplainConfig {
  readonly command: "explain";
  readonly logLevel: LogLevel;
  /** The name as the application passes it: relative, dotted, or absolute with a trailing dot. */
  readonly rawName: string;
  readonly namespace: string;
  readonly type: string;
  readonly client: Client;
  readonly domain: string;
  readonly dnsHost: string;
  readonly dnsPort: number;
  readonly etcdServer: string;
  readonly etcdCaFile: string | undefined;
  readonly etcdCertFile: string | undefined;
  readonly etcdKeyFile: string | undefined;
  readonly prefix: string;
  /** Accepted as `up` takes it; explain reads the records from etcd and needs no API server. */
  readonly kubeconfig: string | undefined;
  readonly timeoutMs: number;
  readonly json: boolean;
}

/**
 * StatusConfig is `kube-dns status`: the status page of a pod that runs already, found as `kube-dns up` places it.
 * dnsAddr, etcdServer and kubeconfig are what the doctor needs once it is wired in; the page shows where they point,
 * never what the files hold.
 */
export interface StatusConfig extends StatusWiring {
  readonly command: "status";
  readonly logLevel: LogLevel;
}

/** DoctorInvocation is `kube-dns doctor`: where the three views are, and whether to print JSON. */
export interface DoctorInvocation extends DoctorConfig {
  readonly command: "doctor";
  readonly logLevel: LogLevel;
  readonly json: boolean;
}

/** Invocation is the parsed command line: one subcommand and its settings. */
export type Invocation = TreeConfig | UpConfig | ExplainConfig | StatusConfig | DoctorInvocation;

/** EXPLAIN_USAGE_STATUS is explain's exit status for a bad command line (1 says the name did not resolve). */
export const EXPLAIN_USAGE_STATUS = 2;

/** DEFAULT_STATUS_PORT is where `kube-dns up` and `kube-dns status` serve the status page unless told. */
export const DEFAULT_STATUS_PORT = 8090;

/** LOCAL_KUBECONFIG is where `kube-dns up` (with its default --state-dir) writes the local cluster's kubeconfig. */
export const LOCAL_KUBECONFIG = ".kube-dns/kubeconfig";


/**
 * parseCommandLine reads `kube-dns SUBCOMMAND [flags]` (without node and the script) and the environment; each flag
 * falls back to its KUBE_DNS_* environment variable, then to its default. Throws commander's CommanderError on bad
 * input or --help.
 */
export function parseCommandLine(argv: readonly string[] = process.argv.slice(2), env: Env = process.env): Invocation {
  let invocation: Invocation | undefined;
  const program = new Command("kube-dns")
    .description("Runs the kube-dns pod locally, inspects its records and explains a lookup.")
    .exitOverride()
    .addOption(flag("--log-level <level>", "the launcher's own log: trace, debug, info, warn, error, fatal or silent", "KUBE_DNS_LOG_LEVEL").choices(LOG_LEVELS).default("warn"));
  etcdOptions(program.command("tree").description("print the records under the prefix as a tree, each value decoded"))
    .addOption(flag("--timeout <duration>", "give up on etcd after this long", "KUBE_DNS_TIMEOUT").argParser(positiveDurationArg).default(5000, "5s"))
    .action((options: TreeOptions) => {
      invocation = { command: "tree", logLevel: logLevel(), ...etcdConfig(options), prefix: options.prefix, timeoutMs: options.timeout };
    });
  etcdOptions(program.command("doctor").description("compare the API's objects, etcd's records and skydns's answers; print every difference (exit 0 none, 1 some, 2 a view unreadable)"))
    .addOption(flag("--kubeconfig <file>", `the cluster's kubeconfig (default: $KUBECONFIG; else, in a pod, its service account; else ${LOCAL_KUBECONFIG}, written by kube-dns up)`, "KUBE_DNS_KUBECONFIG"))
    .addOption(flag("--endpoints-api <api>", "where headless endpoints come from, as kube2sky's flag", "KUBE_DNS_ENDPOINTS_API").choices(["endpointslices", "endpoints"]).default("endpointslices"))
    .addOption(booleanFlag("pods", "expect pod records, as kube2sky's --pods; --pods=false when kube2sky runs without them", "KUBE_DNS_PODS", true))
    .addOption(flag("--dns-addr <host:port>", "where skydns answers DNS", "KUBE_DNS_DNS_ADDR").argParser(loopbackAddress).default(loopbackAddress("127.0.0.1:53"), "127.0.0.1:53"))
    .addOption(flag("--domain <domain>", "the cluster domain", "KUBE_DNS_DOMAIN").default("cluster.local"))
    .addOption(flag("--settle <duration>", "report a difference only if it is still there when read again this much later; 0 reads once", "KUBE_DNS_SETTLE").argParser(durationArg).default(2000, "2s"))
    .addOption(flag("--timeout <duration>", "deadline of one etcd request and of one DNS question's tries", "KUBE_DNS_TIMEOUT").argParser(positiveDurationArg).default(5000, "5s"))
    .addOption(booleanFlag("json", "print the report as one JSON document", "KUBE_DNS_JSON"))
    .action((options: DoctorOptions) => {
      invocation = {
        command: "doctor", logLevel: logLevel(), json: options.json,
        kubeconfig: kubeconfigFor(options.kubeconfig, env), endpointsApi: options.endpointsApi, pods: options.pods,
        ...etcdConfig(options), prefix: options.prefix,
        dnsHost: options.dnsAddr.host, dnsPort: options.dnsAddr.port, domain: options.domain, settleMs: options.settle, timeoutMs: options.timeout,
      };
    });
  program
    .command("up")
    .description("run the kube-dns pod locally: etcd, kube2sky, skydns, exec-healthz (and a local API server unless --kubeconfig)")
    .addOption(flag("--kubeconfig <file>", "serve this cluster instead of starting a local API server", "KUBE_DNS_KUBECONFIG"))
    .addOption(flag("--domain <domain>", "the cluster domain", "KUBE_DNS_DOMAIN").default("cluster.local"))
    .addOption(flag("--service-cluster-ip-range <cidr>", "the local cluster's service range (it must hold 10.0.0.10, the kube-dns Service)", "KUBE_DNS_SERVICE_CLUSTER_IP_RANGE").default("10.0.0.0/16"))
    .addOption(flag("--dns-addr <host:port>", "where skydns serves DNS, UDP and TCP", "KUBE_DNS_DNS_ADDR").argParser(loopbackAddress).default(loopbackAddress("127.0.0.1:53"), "127.0.0.1:53"))
    .addOption(flag("--nameservers <host:port,...>", "upstream servers for other names (default: skydns reads /etc/resolv.conf)", "KUBE_DNS_NAMESERVERS").argParser(list).default([], ""))
    .addOption(flag("--zones <name,...>", "more zones skydns answers from the records (its --zones)", "KUBE_DNS_ZONES").argParser(list).default([], ""))
    .addOption(flag("--state-dir <dir>", "etcd data and the local kubeconfig; kept across runs", "KUBE_DNS_STATE_DIR").default(".kube-dns"))
    .addOption(flag("--etcd-port <port>", "the pod's etcd client port (peer port is the next one; with several members, each member the next two)", "KUBE_DNS_ETCD_PORT").argParser(portArg).default(2379))
    .addOption(flag("--etcd-members <count>", "members of the pod's etcd: 1, or a cluster of 3 or 5", "KUBE_DNS_ETCD_MEMBERS").argParser(memberCount).default(1))
    .addOption(flag("--cluster-etcd-port <port>", "the local cluster's etcd client port (peer port is the next one)", "KUBE_DNS_CLUSTER_ETCD_PORT").argParser(portArg).default(2389))
    .addOption(flag("--apiserver-port <port>", "the local API server's port", "KUBE_DNS_APISERVER_PORT").argParser(portArg).default(6443))
    .addOption(flag("--healthz-port <port>", "exec-healthz's port", "KUBE_DNS_HEALTHZ_PORT").argParser(portArg).default(8080))
    .addOption(flag("--readiness-port <port>", "kube2sky's readiness and metrics port", "KUBE_DNS_READINESS_PORT").argParser(portArg).default(8081))
    .addOption(flag("--metrics-port <port>", "skydns's metrics port", "KUBE_DNS_METRICS_PORT").argParser(portArg).default(9153))
    .addOption(flag("--status-port <port>", "where the status page listens on 127.0.0.1; 0 for none", "KUBE_DNS_STATUS_PORT").argParser(portArg).default(DEFAULT_STATUS_PORT))
    .addOption(flag("--etcd-binary <path>", "the etcd server binary", "KUBE_DNS_ETCD_BINARY").default("etcd"))
    .addOption(flag("--restart-backoff <duration>", "the delay before restarting a container that crashed again, doubling up to 5m, as the kubelet's crash-loop back-off", "KUBE_DNS_RESTART_BACKOFF").argParser(positiveDurationArg).default(10_000, "10s"))
    .addOption(booleanFlag("query-log", "have skydns log every query it answers (name, type, rcode)", "KUBE_DNS_QUERY_LOG"))
    .addOption(booleanFlag("autopath", "have skydns answer a pod's first search-path name from its whole search path (its --autopath)", "KUBE_DNS_AUTOPATH"))
    .addOption(booleanFlag("from-source", "run the programs from their TypeScript sources (development and tests)", "KUBE_DNS_FROM_SOURCE"))
    .action((options: UpOptions) => {
      const dns = options.dnsAddr;
      invocation = {
        command: "up",
        logLevel: logLevel(),
        domain: options.domain,
        serviceClusterIpRange: options.serviceClusterIpRange,
        dnsHost: dns.host,
        dnsPort: dns.port,
        nameservers: options.nameservers,
        zones: options.zones,
        kubeconfig: options.kubeconfig === undefined ? undefined : resolve(options.kubeconfig),
        stateDir: resolve(options.stateDir),
        etcdPort: options.etcdPort,
        etcdMembers: options.etcdMembers,
        clusterEtcdPort: options.clusterEtcdPort,
        apiserverPort: options.apiserverPort,
        healthzPort: options.healthzPort,
        readinessPort: options.readinessPort,
        metricsPort: options.metricsPort,
        fromSource: options.fromSource,
        queryLog: options.queryLog,
        autopath: options.autopath,
        etcdBinary: options.etcdBinary,
        statusPort: options.statusPort,
        restartBackoffMs: options.restartBackoff,
      };
    });
  const explain = program
    .command("explain")
    .description("show a lookup as a ClusterFirst pod in NAMESPACE makes it: its resolv.conf, each query its resolver sends, what skydns answered and why")
    .argument("<name>", "the name as the application passes it (my-nginx, my-nginx.shop, my-nginx.shop.svc.cluster.local.)")
    .addOption(flag("--namespace <namespace>", "the pod's namespace", "KUBE_DNS_NAMESPACE").default("default"))
    .addOption(flag("--type <type>", "the type the application asks through glibc's res_search (A as gethostbyname)", "KUBE_DNS_TYPE").argParser(queryType).default("A"))
    .addOption(flag("--client <client>", "whose lookup: glibc (res_search of --type), getent (getent hosts: AAAA then A) or nslookup (bind9: A, then AAAA)", "KUBE_DNS_CLIENT").choices(CLIENTS).default("glibc"))
    .addOption(flag("--domain <domain>", "the cluster domain", "KUBE_DNS_DOMAIN").default("cluster.local"))
    .addOption(flag("--dns-addr <host:port>", "the pod's nameserver: where skydns serves DNS", "KUBE_DNS_DNS_ADDR").argParser(loopbackAddress).default(loopbackAddress("127.0.0.1:53"), "127.0.0.1:53"))
    .addOption(flag("--etcd-server <url>", "etcd client URL (several comma separated), for the keys behind each answer", "KUBE_DNS_ETCD_SERVER").default("http://127.0.0.1:2379"))
    .addOption(flag("--etcd-cafile <file>", "CA bundle to verify etcd's TLS certificate", "KUBE_DNS_ETCD_CAFILE"))
    .addOption(flag("--etcd-certfile <file>", "client certificate for etcd", "KUBE_DNS_ETCD_CERTFILE"))
    .addOption(flag("--etcd-keyfile <file>", "client key for etcd", "KUBE_DNS_ETCD_KEYFILE"))
    .addOption(flag("--prefix <path>", "etcd prefix of the records", "KUBE_DNS_PREFIX").argParser(etcdPrefix).default(DEFAULT_PREFIX))
    .addOption(flag("--kubeconfig <file>", "accepted as up takes it; unused: the records come from etcd", "KUBE_DNS_KUBECONFIG"))
    .addOption(flag("--timeout <duration>", "give up on each DNS query and on etcd after this long", "KUBE_DNS_TIMEOUT").argParser(positiveDurationArg).default(5000, "5s"))
    .addOption(booleanFlag("json", "print the explanation as JSON", "KUBE_DNS_JSON"))
    .exitOverride((error) => {
      throw error.exitCode === 0 ? error : new CommanderError(EXPLAIN_USAGE_STATUS, error.code, error.message);
    })
    .action((rawName: string, options: ExplainOptions, command: Command) => {
      if (options.client !== "glibc" && options.type !== "A") command.error(`error: --type ${options.type} is for --client glibc; ${options.client} asks its own types`);
      invocation = {
        command: "explain", logLevel: logLevel(), rawName, namespace: options.namespace, type: options.type, client: options.client, domain: options.domain,
        dnsHost: options.dnsAddr.host, dnsPort: options.dnsAddr.port, etcdServer: options.etcdServer, prefix: options.prefix,
        etcdCaFile: options.etcdCafile || undefined, etcdCertFile: options.etcdCertfile || undefined, etcdKeyFile: options.etcdKeyfile || undefined,
        kubeconfig: options.kubeconfig || undefined, timeoutMs: options.timeout, json: options.json,
      };
    });
  program
    .command("status")
    .description("serve the status page of a running pod: containers' health, records, queries, the latest changes")
    .addOption(flag("--dns-addr <host:port>", "where skydns serves DNS", "KUBE_DNS_DNS_ADDR").argParser(loopbackAddress).default(loopbackAddress("127.0.0.1:53"), "127.0.0.1:53"))
    .addOption(flag("--etcd-server <url>", "the pod's etcd client URL (several comma separated)", "KUBE_DNS_ETCD_SERVER").default("http://127.0.0.1:2379"))
    .addOption(flag("--kubeconfig <file>", `the cluster's kubeconfig, for the page's doctor (default: as kube-dns doctor's, $KUBECONFIG, the service account or ${LOCAL_KUBECONFIG})`, "KUBE_DNS_KUBECONFIG"))
    .addOption(flag("--healthz-port <port>", "exec-healthz's port", "KUBE_DNS_HEALTHZ_PORT").argParser(portArg).default(8080))
    .addOption(flag("--readiness-port <port>", "kube2sky's readiness and metrics port", "KUBE_DNS_READINESS_PORT").argParser(portArg).default(8081))
    .addOption(flag("--metrics-port <port>", "skydns's metrics port", "KUBE_DNS_METRICS_PORT").argParser(portArg).default(9153))
    .addOption(flag("--status-port <port>", "where the page listens on 127.0.0.1 (0: a free port, printed)", "KUBE_DNS_STATUS_PORT").argParser(portArg).default(DEFAULT_STATUS_PORT))
    .action((options: StatusOptions) => {
      invocation = {
        command: "status", logLevel: logLevel(), dnsHost: options.dnsAddr.host, dnsPort: options.dnsAddr.port, etcdServer: options.etcdServer,
        kubeconfig: kubeconfigFor(options.kubeconfig, env),
        healthzPort: options.healthzPort, readinessPort: options.readinessPort, metricsPort: options.metricsPort, statusPort: options.statusPort,
      };
    });
  const logLevel = (): LogLevel => program.opts<{ logLevel: LogLevel }>().logLevel;
  let subcommand: string | undefined;
  program.hook("preSubcommand", (_program, chosen) => {
    subcommand = chosen.name();
  });
  try {
    parseProgram(program, argv, env);
  } catch (error) {
    // A KUBE_DNS_* variable explain cannot use is a usage error as a flag is: one line, exit status 2.
    if (subcommand !== "explain" || error instanceof CommanderError) throw error;
    explain.error(`error: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (invocation === undefined) throw new Error("no subcommand ran");
  return Object.freeze(invocation);
}

interface EtcdOptions {
  etcdServer: string;
  etcdCafile?: string;
  etcdCertfile?: string;
  etcdKeyfile?: string;
  prefix: string;
}

interface TreeOptions extends EtcdOptions {
  timeout: number;
}

interface ExplainOptions {
  namespace: string;
  type: string;
  client: Client;
  domain: string;
  dnsAddr: { host: string; port: number };
  etcdServer: string;
  etcdCafile?: string;
  etcdCertfile?: string;
  etcdKeyfile?: string;
  prefix: string;
  kubeconfig?: string;
  timeout: number;
  json: boolean;
}

interface DoctorOptions extends EtcdOptions {
  kubeconfig?: string;
  endpointsApi: "endpointslices" | "endpoints";
  pods: boolean;
  dnsAddr: { host: string; port: number };
  domain: string;
  settle: number;
  timeout: number;
  json: boolean;
}

interface StatusOptions {
  dnsAddr: { host: string; port: number };
  etcdServer: string;
  kubeconfig?: string;
  healthzPort: number;
  readinessPort: number;
  metricsPort: number;
  statusPort: number;
}

// The etcd flags `tree` and `doctor` share, named as kube2sky names its own.
function etcdOptions(command: Command): Command {
  return command
    .addOption(flag("--etcd-server <url>", "etcd client URL (several comma separated)", "KUBE_DNS_ETCD_SERVER").default("http://127.0.0.1:2379"))
    .addOption(flag("--etcd-cafile <file>", "CA bundle to verify etcd's TLS certificate", "KUBE_DNS_ETCD_CAFILE"))
    .addOption(flag("--etcd-certfile <file>", "client certificate for etcd", "KUBE_DNS_ETCD_CERTFILE"))
    .addOption(flag("--etcd-keyfile <file>", "client key for etcd", "KUBE_DNS_ETCD_KEYFILE"))
    .addOption(flag("--prefix <path>", "etcd prefix of the records", "KUBE_DNS_PREFIX").argParser(etcdPrefix).default(DEFAULT_PREFIX));
}

function etcdConfig(options: EtcdOptions): Pick<TreeConfig, "etcdServer" | "etcdCaFile" | "etcdCertFile" | "etcdKeyFile"> {
  // An empty value (a variable set to "") means unset, as kube2sky reads its own.
  return { etcdServer: options.etcdServer, etcdCaFile: options.etcdCafile || undefined, etcdCertFile: options.etcdCertfile || undefined, etcdKeyFile: options.etcdKeyfile || undefined };
}

/**
 * kubeconfigFor is the doctor's cluster: the flag, else $KUBECONFIG (its first file), else the service account when
 * in a pod (undefined), else the kubeconfig `kube-dns up` writes for its local cluster.
 */
export function kubeconfigFor(flagValue: string | undefined, env: Env): string | undefined {
  if (flagValue !== undefined && flagValue !== "") return resolve(flagValue);
  const fromEnv = env["KUBECONFIG"]?.split(":").find((file) => file !== "");
  if (fromEnv !== undefined) return resolve(fromEnv);
  if (env["KUBERNETES_SERVICE_HOST"]) return undefined;
  return resolve(LOCAL_KUBECONFIG);
}

interface UpOptions {
  kubeconfig?: string;
  domain: string;
  serviceClusterIpRange: string;
  dnsAddr: { host: string; port: number };
  nameservers: string[];
  zones: string[];
  stateDir: string;
  etcdPort: number;
  etcdMembers: number;
  clusterEtcdPort: number;
  apiserverPort: number;
  healthzPort: number;
  readinessPort: number;
  metricsPort: number;
  etcdBinary: string;
  restartBackoff: number;
  statusPort: number;
  fromSource: boolean;
  queryLog: boolean;
  autopath: boolean;
}



const loopbackAddress = hostPortArg("127.0.0.1");

function list(text: string): string[] {
  return text.split(",").map((item) => item.trim()).filter((item) => item !== "");
}



// An even count tolerates no more failures than the odd one below it; more than 7 members only slows every write.
const memberCount = argParser((text: string): number => {
  if (!/^[1-7]$/.test(text.trim())) throw new Error("must be a whole number from 1 to 7 (3 or 5 for a cluster)");
  return Number(text);
});

// The types skydns answers from its records, and ANY (RFC 8482).
const QUERY_TYPES = ["A", "AAAA", "CNAME", "MX", "NS", "PTR", "SOA", "SRV", "TXT", "ANY"];

function queryType(text: string): string {
  const type = text.trim().toUpperCase();
  if (!QUERY_TYPES.includes(type)) throw new InvalidArgumentError(`must be one of ${QUERY_TYPES.join(", ")}`);
  return type;
}

function etcdPrefix(text: string): string {
  if (!/^\/[^/]/.test(text)) throw new InvalidArgumentError("must be an absolute etcd path such as /skydns");
  return text.replace(/\/+$/, "");
}
