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
  /** Extra zones skydns answers from the records besides the domain (its --zones). */
  readonly zones: readonly string[];
  /** A real cluster's kubeconfig; without it the pod gets a local API server of its own. */
  readonly kubeconfig: string | undefined;
  /** Persistent state (etcd data, the local cluster's kubeconfig): restarts of `up` find their records again. */
  readonly stateDir: string;
  /** The pod's etcd client port; with several members, member i (from 1) takes etcdPort + 2(i - 1), its peer the next. */
  readonly etcdPort: number;
  /** How many members the pod's etcd has: 1 as in v1.2, or a cluster (3, 5) whose members run as containers of their own. */
  readonly etcdMembers: number;
  readonly clusterEtcdPort: number;
  readonly apiserverPort: number;
  readonly healthzPort: number;
  readonly readinessPort: number;
  readonly metricsPort: number;
  /** Where `up` serves the status page on loopback (the launcher's own, not a container's); 0 for none. */
  readonly statusPort: number;
  readonly fromSource: boolean;
  readonly etcdBinary: string;
  /** skydns logs every query (its --verbose), which the e2e tests read to see the search path from the server's side. */
  readonly queryLog: boolean;
  /** skydns walks pods' search paths on the server (its --autopath). */
  readonly autopath: boolean;
}

/** PodPlan is the children to start, in order, with what the launcher tells the user once they are ready. */
export interface PodPlan {
  /** The children in stages: a stage's children start together and are all ready before the next stage starts. */
  readonly stages: readonly (readonly ChildSpec[])[];
  /** Every child, in the order they start. */
  readonly children: readonly ChildSpec[];
  readonly kubeconfig: string;
  /** The client URL of every member of the pod's etcd, comma separated, as kube2sky and skydns take them. */
  readonly etcdUrl: string;
  readonly healthzUrl: string;
}

/**
 * planPod turns the launcher's flags into the pod's containers, wired as in manifests/kube-dns.yaml: the pod's etcd,
 * kube2sky, skydns and exec-healthz, plus (with no --kubeconfig) a local cluster: its own etcd and the dev API server.
 * skydns carries the liveness probe on exec-healthz's /healthz, as the manifest does. With --etcd-members N the pod's
 * etcd is a cluster of N members, started together (each needs a quorum to be ready), and kube2sky and skydns are
 * given every member. Pure: nothing starts here.
 */
export function planPod(config: PodConfig): PodPlan {
  const loopback = "127.0.0.1";
  const members = etcdMembers(config);
  const etcdUrl = members.map((member) => member.clientUrl).join(",");
  const healthzUrl = `http://${loopback}:${config.healthzPort}/healthz`;
  const stages: ChildSpec[][] = [];
  let kubeconfig = config.kubeconfig;
  if (kubeconfig === undefined) {
    // The cluster's etcd is not the pod's: kube-apiserver stores /registry in its own.
    const clusterEtcdUrl = `http://${loopback}:${config.clusterEtcdPort}`;
    kubeconfig = join(config.stateDir, "kubeconfig");
    stages.push([etcdChild("cluster-etcd", config, soloMember(config.clusterEtcdPort, join(config.stateDir, "cluster-etcd")))]);
    stages.push([
      program("dev-apiserver", config, [
        `--bind-address=${loopback}`,
        `--secure-port=${config.apiserverPort}`,
        `--etcd-servers=${clusterEtcdUrl}`,
        `--service-cluster-ip-range=${config.serviceClusterIpRange}`,
        `--kubeconfig-out=${kubeconfig}`,
      ], { readiness: { url: `http://${loopback}:${config.apiserverPort}/readyz`, periodMs: 500, failureThreshold: 1 } }),
    ]);
  }
  stages.push(members.map((member) => etcdChild(member.name, config, member)));
  stages.push([
    program("kube2sky", config, [`--domain=${config.domain}`, `--etcd-server=${etcdUrl}`, `--etcd-max-txn-ops=${TXN_OPS}`, `--kubecfg-file=${kubeconfig}`, `--healthz-port=${config.readinessPort}`], {
      readiness: { url: `http://${loopback}:${config.readinessPort}/readiness`, periodMs: 500, failureThreshold: 1 },
    }),
  ]);
  const skydnsArgs = [`--addr=${config.dnsHost}:${config.dnsPort}`, `--domain=${config.domain}`, `--machines=${etcdUrl}`, `--metrics-addr=${loopback}:${config.metricsPort}`];
  if (config.nameservers.length > 0) skydnsArgs.push(`--nameservers=${config.nameservers.join(",")}`);
  if (config.zones.length > 0) skydnsArgs.push(`--zones=${config.zones.join(",")}`);
  if (config.queryLog) skydnsArgs.push("--verbose");
  if (config.autopath) skydnsArgs.push("--autopath");
  stages.push([
    program("skydns", config, skydnsArgs, {
      readiness: { url: `http://${loopback}:${config.metricsPort}/ready`, periodMs: 500, failureThreshold: 1 },
      // The manifest's probe: exec-healthz's nslookup through this skydns. A longer initial delay than a
      // readiness probe, so a pod that is still syncing is not killed.
      liveness: { url: healthzUrl, initialDelayMs: 15_000, periodMs: 10_000, timeoutMs: 5_000, failureThreshold: 3 },
    }),
  ]);
  const lookup = `nslookup${config.dnsPort === 53 ? "" : ` -port=${config.dnsPort}`} kubernetes.default.svc.${config.domain.replace(/\.$/, "")} ${config.dnsHost}`;
  stages.push([program("exec-healthz", config, [`--cmd=${lookup} >/dev/null`, `--port=${config.healthzPort}`, `--address=${loopback}`, "--quiet"])]);
  return { stages, children: stages.flat(), kubeconfig, etcdUrl, healthzUrl };
}

/** EtcdMember is where one member of an etcd listens and keeps its data, and the cluster it bootstraps with. */
interface EtcdMember {
  readonly name: string;
  /** The member's --name: `default` alone, as v1.2's pod had it. */
  readonly memberName: string;
  readonly clientUrl: string;
  readonly peerUrl: string;
  readonly dataDir: string;
  /** --initial-cluster: every member's name and peer URL. */
  readonly initialCluster: string;
}

// One member: v1.2's container `etcd` (name `default`, data in STATE_DIR/etcd). Several: `etcd-1` ... `etcd-N`.
function etcdMembers(config: PodConfig): EtcdMember[] {
  if (config.etcdMembers === 1) return [soloMember(config.etcdPort, join(config.stateDir, "etcd"))];
  const members = Array.from({ length: config.etcdMembers }, (_, i) => {
    const clientPort = config.etcdPort + 2 * i;
    return {
      name: `etcd-${i + 1}`,
      memberName: `etcd-${i + 1}`,
      clientUrl: `http://127.0.0.1:${clientPort}`,
      peerUrl: `http://127.0.0.1:${clientPort + 1}`,
      dataDir: join(config.stateDir, `etcd-${i + 1}`),
    };
  });
  const initialCluster = members.map((m) => `${m.memberName}=${m.peerUrl}`).join(",");
  return members.map((member) => ({ ...member, initialCluster }));
}

function soloMember(clientPort: number, dataDir: string): EtcdMember {
  const peerUrl = `http://127.0.0.1:${clientPort + 1}`;
  return { name: "etcd", memberName: "default", clientUrl: `http://127.0.0.1:${clientPort}`, peerUrl, dataDir, initialCluster: `default=${peerUrl}` };
}

function program(name: ProgramName, config: PodConfig, args: readonly string[], probes: Pick<ChildSpec, "readiness" | "liveness"> = {}): ChildSpec {
  const base: Command = programCommand(name, config.fromSource);
  return { name, command: base.command, args: [...base.args, ...args], cwd: REPO_ROOT, ...probes };
}

/**
 * TXN_OPS is the pod etcd's --max-txn-ops and kube2sky's --etcd-max-txn-ops: ten times fewer transactions than under
 * etcd's default of 128 make kube2sky's first sync cheaper for both (kube2sky README, Performance).
 */
const TXN_OPS = 1000;

function etcdChild(name: string, config: PodConfig, member: EtcdMember): ChildSpec {
  const client = member.clientUrl;
  const peer = member.peerUrl;
  return {
    name,
    command: config.etcdBinary,
    args: [
      `--name=${member.memberName}`,
      `--data-dir=${member.dataDir}`,
      `--listen-client-urls=${client}`,
      `--advertise-client-urls=${client}`,
      `--listen-peer-urls=${peer}`,
      `--initial-advertise-peer-urls=${peer}`,
      `--initial-cluster=${member.initialCluster}`,
      "--initial-cluster-token=skydns-etcd",
      `--max-txn-ops=${TXN_OPS}`,
      // etcd's info lines would drown the other containers' output.
      "--logger=zap",
      "--log-level=warn",
    ],
    readiness: { url: `${client}/health`, periodMs: 250, failureThreshold: 1 },
    liveness: { url: `${client}/health`, initialDelayMs: 10_000, periodMs: 10_000, timeoutMs: 5_000, failureThreshold: 3 },
  };
}
