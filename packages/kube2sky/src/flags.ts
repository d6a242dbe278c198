import { Command, Option } from "commander";
import { booleanArg, durationArg, portArg } from "@kube-dns/flagvalues";
import { LOG_LEVELS, type LogLevel } from "@kube-dns/log";

/** Config is kube2sky's whole configuration, read once from flags and environment. */
export interface Config {
  readonly domain: string;
  readonly etcdServer: string;
  readonly etcdMutationTimeoutMs: number;
  readonly etcdCaFile: string | undefined;
  readonly etcdCertFile: string | undefined;
  readonly etcdKeyFile: string | undefined;
  readonly kubeMasterUrl: string | undefined;
  readonly kubecfgFile: string | undefined;
  readonly healthzPort: number;
  readonly resyncPeriodMs: number;
  readonly pods: boolean;
  readonly endpointsApi: "endpointslices" | "endpoints";
  readonly logLevel: LogLevel;
}

// Each flag once: name, environment fallback, default, description.
function program(): Command {
  // Commander names the environment variable in the help text: "(env: KUBE2SKY_DOMAIN)".
  const flag = (spec: string, env: string, description: string) => new Option(spec, description).env(env);
  return new Command("kube2sky")
    .description("Watch Kubernetes Services, EndpointSlices and Pods; keep SkyDNS records under /skydns in etcd equal to them.")
    .addOption(flag("--domain <DOMAIN>", "KUBE2SKY_DOMAIN", "the cluster domain").default("cluster.local"))
    .addOption(flag("--etcd-server <URL>", "KUBE2SKY_ETCD_SERVER", "etcd client URL").default("http://127.0.0.1:2379"))
    .addOption(
      flag("--etcd-mutation-timeout <DURATION>", "KUBE2SKY_ETCD_MUTATION_TIMEOUT", "deadline of one etcd read or transaction")
        .default(10_000, "10s")
        .argParser(durationArg),
    )
    .addOption(flag("--etcd-cafile <FILE>", "KUBE2SKY_ETCD_CAFILE", "CA bundle to verify etcd's TLS certificate"))
    .addOption(flag("--etcd-certfile <FILE>", "KUBE2SKY_ETCD_CERTFILE", "client certificate for etcd"))
    .addOption(flag("--etcd-keyfile <FILE>", "KUBE2SKY_ETCD_KEYFILE", "client key for etcd"))
    .addOption(flag("--kube-master-url <URL>", "KUBE2SKY_KUBE_MASTER_URL", "API server URL, no credentials; overrides the kubeconfig's server"))
    .addOption(flag("--kubecfg-file <FILE>", "KUBE2SKY_KUBECFG_FILE", "kubeconfig; with neither this nor --kube-master-url, the in-cluster service account"))
    .addOption(flag("--healthz-port <PORT>", "KUBE2SKY_HEALTHZ_PORT", "port of /readiness, /healthz and /metrics").default(8081).argParser(portArg))
    .addOption(
      flag("--resync-period <DURATION>", "KUBE2SKY_RESYNC_PERIOD", "how often to reconcile all of etcd with the caches").default(1_800_000, "30m").argParser(durationArg),
    )
    .addOption(flag("--pods [BOOL]", "KUBE2SKY_PODS", "write pod records <a-b-c-d>.<ns>.pod.<domain>").argParser(booleanArg).preset(true).default(false))
    .addOption(
      flag("--endpoints-api <API>", "KUBE2SKY_ENDPOINTS_API", "where headless endpoints come from")
        .choices(["endpointslices", "endpoints"])
        .default("endpointslices"),
    )
    .addOption(
      flag("--log-level <LEVEL>", "KUBE2SKY_LOG_LEVEL", "log level").choices(LOG_LEVELS).default("warn"),
    )
    .allowExcessArguments(false)
    .configureHelp({ helpWidth: 160 });
}

/** parseFlags reads argv (without node and script) and env into a frozen Config; it throws CommanderError on bad input. */
export function parseFlags(argv: readonly string[], env: NodeJS.ProcessEnv = process.env, exitOverride = false): Config {
  const command = program();
  if (exitOverride) command.exitOverride().configureOutput({ writeErr: () => {}, writeOut: () => {} });
  const saved = process.env;
  process.env = env; // commander reads env fallbacks from process.env; give it exactly env
  try {
    command.parse([...argv], { from: "user" });
  } finally {
    process.env = saved;
  }
  const o = command.opts<Record<string, unknown>>();
  const optional = (v: unknown): string | undefined => (typeof v === "string" && v !== "" ? v : undefined);
  return Object.freeze({
    domain: String(o.domain),
    etcdServer: String(o.etcdServer),
    etcdMutationTimeoutMs: Number(o.etcdMutationTimeout),
    etcdCaFile: optional(o.etcdCafile),
    etcdCertFile: optional(o.etcdCertfile),
    etcdKeyFile: optional(o.etcdKeyfile),
    kubeMasterUrl: optional(o.kubeMasterUrl),
    kubecfgFile: optional(o.kubecfgFile),
    healthzPort: Number(o.healthzPort),
    resyncPeriodMs: Number(o.resyncPeriod),
    pods: o.pods === true,
    endpointsApi: o.endpointsApi === "endpoints" ? "endpoints" : "endpointslices",
    logLevel: o.logLevel as LogLevel,
  });
}

/** defaultConfig is the configuration with every flag at its default. */
export function defaultConfig(): Config {
  return parseFlags([], {});
}
