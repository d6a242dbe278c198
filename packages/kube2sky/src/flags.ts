import { Command } from "commander";
import { argParser, booleanFlag, durationArg, type Env, flag, parseDuration, parseProgram, portArg } from "@kube-dns/flagvalues";
import { LOG_LEVELS, type LogLevel } from "@kube-dns/log";
import { MAX_TXN_OPS } from "./apply.js";

/** Config is kube2sky's whole configuration, read once from flags and environment. */
export interface Config {
  readonly domain: string;
  readonly etcdServer: string;
  readonly etcdMutationTimeoutMs: number;
  /** The most operations kube2sky puts in one transaction: at most etcd's --max-txn-ops. */
  readonly etcdMaxTxnOps: number;
  readonly etcdCaFile: string | undefined;
  readonly etcdCertFile: string | undefined;
  readonly etcdKeyFile: string | undefined;
  readonly kubeMasterUrl: string | undefined;
  readonly kubecfgFile: string | undefined;
  readonly healthzPort: number;
  readonly resyncPeriodMs: number;
  readonly pods: boolean;
  readonly endpointsApi: "endpointslices" | "endpoints";
  readonly leaderElectTtlMs: number;
  /** The ConfigMap mirrored to /skydns/config, `namespace/name`; "" watches none. */
  readonly configMap: string;
  readonly logLevel: LogLevel;
}

// Each flag once: name, environment fallback, default, description.
function program(): Command {
  return new Command("kube2sky")
    .description("Watch Kubernetes Services, EndpointSlices and Pods; keep SkyDNS records under /skydns in etcd equal to them.")
    .addOption(flag("--domain <DOMAIN>", "the cluster domain", "KUBE2SKY_DOMAIN").default("cluster.local"))
    .addOption(flag("--etcd-server <URL>", "etcd client URL", "KUBE2SKY_ETCD_SERVER").default("http://127.0.0.1:2379"))
    .addOption(
      flag("--etcd-mutation-timeout <DURATION>", "deadline of one etcd read or transaction", "KUBE2SKY_ETCD_MUTATION_TIMEOUT")
        .default(10_000, "10s")
        .argParser(durationArg),
    )
    .addOption(
      flag("--etcd-max-txn-ops <N>", "operations in one etcd transaction, at most etcd's --max-txn-ops (128 by default)", "KUBE2SKY_ETCD_MAX_TXN_OPS")
        .default(MAX_TXN_OPS)
        .argParser(txnOpsArg),
    )
    .addOption(flag("--etcd-cafile <FILE>", "CA bundle to verify etcd's TLS certificate", "KUBE2SKY_ETCD_CAFILE"))
    .addOption(flag("--etcd-certfile <FILE>", "client certificate for etcd", "KUBE2SKY_ETCD_CERTFILE"))
    .addOption(flag("--etcd-keyfile <FILE>", "client key for etcd", "KUBE2SKY_ETCD_KEYFILE"))
    .addOption(flag("--kube-master-url <URL>", "API server URL, no credentials; overrides the kubeconfig's server", "KUBE2SKY_KUBE_MASTER_URL"))
    .addOption(flag("--kubecfg-file <FILE>", "kubeconfig; with neither this nor --kube-master-url, the in-cluster service account", "KUBE2SKY_KUBECFG_FILE"))
    .addOption(flag("--healthz-port <PORT>", "port of /readiness, /healthz and /metrics", "KUBE2SKY_HEALTHZ_PORT").default(8081).argParser(portArg))
    .addOption(
      flag("--resync-period <DURATION>", "how often to reconcile all of etcd with the caches", "KUBE2SKY_RESYNC_PERIOD").default(1_800_000, "30m").argParser(durationArg),
    )
    .addOption(booleanFlag("pods", "write pod records <a-b-c-d>.<ns>.pod.<domain>, as v1.2 did; --pods=false turns them off", "KUBE2SKY_PODS", true))
    .addOption(
      flag("--endpoints-api <API>", "where headless endpoints come from", "KUBE2SKY_ENDPOINTS_API")
        .choices(["endpointslices", "endpoints"])
        .default("endpointslices"),
    )
    .addOption(
      flag("--leader-elect-ttl <DURATION>", "lease of the leader among replicas: how long a dead leader blocks its successor", "KUBE2SKY_LEADER_ELECT_TTL")
        .default(10_000, "10s")
        .argParser(leaseTtlArg),
    )
    .addOption(
      flag("--config-map <NAMESPACE/NAME>", 'ConfigMap of stubDomains and upstreamNameservers mirrored to /skydns/config; "" for none', "KUBE2SKY_CONFIG_MAP")
        .default("kube-system/kube-dns")
        .argParser(configMapArg),
    )
    .addOption(
      flag("--log-level <LEVEL>", "log level", "KUBE2SKY_LOG_LEVEL").choices(LOG_LEVELS).default("warn"),
    )
    .allowExcessArguments(false)
    .exitOverride()
    .configureHelp({ helpWidth: 160 });
}

/**
 * parseFlags reads the command line (without node and the script) and the environment into a frozen Config. It throws
 * commander's CommanderError for --help and usage errors, and an Error naming the variable for a bad environment value.
 */
export function parseFlags(argv: readonly string[] = process.argv.slice(2), env: Env = process.env): Config {
  const o = parseProgram<Record<string, unknown>>(program(), argv, env);
  const optional = (v: unknown): string | undefined => (typeof v === "string" && v !== "" ? v : undefined);
  return Object.freeze({
    domain: String(o.domain),
    etcdServer: String(o.etcdServer),
    etcdMutationTimeoutMs: Number(o.etcdMutationTimeout),
    etcdMaxTxnOps: Number(o.etcdMaxTxnOps),
    etcdCaFile: optional(o.etcdCafile),
    etcdCertFile: optional(o.etcdCertfile),
    etcdKeyFile: optional(o.etcdKeyfile),
    kubeMasterUrl: optional(o.kubeMasterUrl),
    kubecfgFile: optional(o.kubecfgFile),
    healthzPort: Number(o.healthzPort),
    resyncPeriodMs: Number(o.resyncPeriod),
    pods: o.pods === true,
    endpointsApi: o.endpointsApi === "endpoints" ? "endpoints" : "endpointslices",
    leaderElectTtlMs: Number(o.leaderElectTtl),
    configMap: String(o.configMap),
    logLevel: o.logLevel as LogLevel,
  });
}

// An etcd lease lives whole seconds, and etcd 3.4 quietly lengthens one shorter than 2 s (1.5 election timeouts).
const leaseTtlArg = argParser((text: string): number => {
  const ms = parseDuration(text);
  if (ms < 2000 || ms % 1000 !== 0) throw new Error("must be whole seconds, at least 2s");
  return ms;
});

// A transaction holds a unit's records and its registry entry, so a handful at least; etcd caps a request at 1.5 MiB.
const txnOpsArg = argParser((text: string): number => {
  const n = Number(text);
  if (!/^\d+$/.test(text) || n < 10 || n > 10_000) throw new Error("must be a whole number from 10 to 10000");
  return n;
});

// Both parts are DNS-1123 names, so neither holds a slash.
const configMapArg = argParser((text: string): string => {
  if (text !== "" && !/^[a-z0-9]([-a-z0-9]*[a-z0-9])?\/[a-z0-9]([-.a-z0-9]*[a-z0-9])?$/.test(text)) throw new Error("must be NAMESPACE/NAME or empty");
  return text;
});

/** defaultConfig is the configuration with every flag at its default. */
export function defaultConfig(): Config {
  return parseFlags([], {});
}
