import { join } from "node:path";
import type { ChildSpec } from "./child.js";
import { type Command, type ProgramName, programCommand, REPO_ROOT } from "./programs.js";

/** PodConfig is `kube-dns up`: where each container listens and where the pod keeps its state. */
export interface PodConfig {
  readonly domain: string;
  /** The local cluster's service range (dev-apiserver's --service-cluster-ip-range). */
  readonly serviceClusterIpRange: string;
  /** Where skydns serves DNS (UDP and TCP). */
  readonly dnsHost: string;
  readonly dnsPort: number;
  /** Upstream nameservers for names outside the domain; skydns reads /etc/resolv.conf when empty. */
  readonly nameservers: readonly string[];
  /** A real cluster's kubeconfig; without it the pod gets a local API server of its own. */
  readonly kubeconfig: string | undefined;
  /** Persistent state (etcd data, the local cluster's kubeconfig): restarts of `up` find their records again. */
  readonly stateDir: string;
  readonly etcdPort: number;
  readonly clusterEtcdPort: number;
  readonly apiserverPort: number;
  readonly healthzPort: number;
  readonly readinessPort: number;
  readonly metricsPort: number;
  readonly fromSource: boolean;
  readonly etcdBinary: string;
  /** skydns logs every query (its --verbose), which the e2e tests read to see the search path from the server's side. */
  readonly queryLog: boolean;
}

/** PodPlan is the children to start, in order, with what the launcher tells the user once they are ready. */
export interface PodPlan {
  readonly children: readonly ChildSpec[];
  readonly kubeconfig: string;
  readonly etcdUrl: string;
  readonly healthzUrl: string;
}

/**
 * planPod turns the launcher's flags into the pod's containers, wired as in manifests/kube-dns.yaml: the pod's etcd,
 * kube2sky, skydns and exec-healthz, plus (with no --kubeconfig) a local cluster: its own etcd and the dev API server.
 * skydns carries the liveness probe on exec-healthz's /healthz, as the manifest does. Pure: nothing starts here.
 */
export function planPod(config: PodConfig): PodPlan {
  const loopback = "127.0.0.1";
  const etcdUrl = `http://${loopback}:${config.etcdPort}`;
  const healthzUrl = `http://${loopback}:${config.healthzPort}/healthz`;
  const children: ChildSpec[] = [];
  let kubeconfig = config.kubeconfig;
  if (kubeconfig === undefined) {
    // The cluster's etcd is not the pod's: kube-apiserver stores /registry in its own.
    const clusterEtcdUrl = `http://${loopback}:${config.clusterEtcdPort}`;
    kubeconfig = join(config.stateDir, "kubeconfig");
    children.push(etcdChild("cluster-etcd", config, config.clusterEtcdPort, join(config.stateDir, "cluster-etcd")));
    children.push(
      program("dev-apiserver", config, [
        `--bind-address=${loopback}`,
        `--secure-port=${config.apiserverPort}`,
        `--etcd-servers=${clusterEtcdUrl}`,
        `--service-cluster-ip-range=${config.serviceClusterIpRange}`,
        `--kubeconfig-out=${kubeconfig}`,
      ], { readiness: { url: `http://${loopback}:${config.apiserverPort}/readyz`, periodMs: 500, failureThreshold: 1 } }),
    );
  }
  children.push(etcdChild("etcd", config, config.etcdPort, join(config.stateDir, "etcd")));
  children.push(
    program("kube2sky", config, [`--domain=${config.domain}`, `--etcd-server=${etcdUrl}`, `--kubecfg-file=${kubeconfig}`, `--healthz-port=${config.readinessPort}`], {
      readiness: { url: `http://${loopback}:${config.readinessPort}/readiness`, periodMs: 500, failureThreshold: 1 },
    }),
  );
  const skydnsArgs = [`--addr=${config.dnsHost}:${config.dnsPort}`, `--domain=${config.domain}`, `--machines=${etcdUrl}`, `--metrics-addr=${loopback}:${config.metricsPort}`];
  if (config.nameservers.length > 0) skydnsArgs.push(`--nameservers=${config.nameservers.join(",")}`);
  if (config.queryLog) skydnsArgs.push("--verbose");
  children.push(
    program("skydns", config, skydnsArgs, {
      readiness: { url: `http://${loopback}:${config.metricsPort}/ready`, periodMs: 500, failureThreshold: 1 },
      // The manifest's probe: exec-healthz's nslookup through this skydns. A longer initial delay than a
      // readiness probe, so a pod that is still syncing is not killed.
      liveness: { url: healthzUrl, initialDelayMs: 15_000, periodMs: 10_000, timeoutMs: 5_000, failureThreshold: 3 },
    }),
  );
  const lookup = `nslookup${config.dnsPort === 53 ? "" : ` -port=${config.dnsPort}`} kubernetes.default.svc.${config.domain.replace(/\.$/, "")} ${config.dnsHost}`;
  children.push(program("exec-healthz", config, [`--cmd=${lookup} >/dev/null`, `--port=${config.healthzPort}`, `--address=${loopback}`, "--quiet"]));
  return { children, kubeconfig, etcdUrl, healthzUrl };
}

function program(name: ProgramName, config: PodConfig, args: readonly string[], probes: Pick<ChildSpec, "readiness" | "liveness"> = {}): ChildSpec {
  const base: Command = programCommand(name, config.fromSource);
  return { name, command: base.command, args: [...base.args, ...args], cwd: REPO_ROOT, ...probes };
}

function etcdChild(name: string, config: PodConfig, clientPort: number, dataDir: string): ChildSpec {
  const client = `http://127.0.0.1:${clientPort}`;
  const peer = `http://127.0.0.1:${clientPort + 1}`;
  return {
    name,
    command: config.etcdBinary,
    args: [
      "--name=default",
      `--data-dir=${dataDir}`,
      `--listen-client-urls=${client}`,
      `--advertise-client-urls=${client}`,
      `--listen-peer-urls=${peer}`,
      `--initial-advertise-peer-urls=${peer}`,
      `--initial-cluster=default=${peer}`,
      "--initial-cluster-token=skydns-etcd",
      // etcd's info lines would drown the other containers' output.
      "--logger=zap",
      "--log-level=warn",
    ],
    readiness: { url: `${client}/health`, periodMs: 250, failureThreshold: 1 },
    liveness: { url: `${client}/health`, initialDelayMs: 10_000, periodMs: 10_000, timeoutMs: 5_000, failureThreshold: 3 },
  };
}
