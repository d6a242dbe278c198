import type { ChildProcess } from "node:child_process";
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parse } from "yaml";
import { runCommand } from "../command.js";
import { REPO_ROOT } from "../launcher-process.js";
import type { CommandResult } from "../command.js";
import { PodShell } from "../pod-shell.js";
import { eventually } from "../poll.js";
import { kubeletResolvConf } from "../resolv-conf.js";
import type { Transcript } from "../transcript.js";
import { manifestContainers } from "./manifest-pod.js";
import { checked, NETNS, podmanInNetns, releaseLock, removeLeftovers, takeLock } from "./netns.js";
import { overlay } from "./overlay.js";
import { kubeNetwork, playService } from "./pod-network.js";
import { type ContainerState, inNetns, podContainers, podman, requirePodman } from "./podman.js";
import { makeServiceAccount } from "./service-account.js";
import type { ContainerPort } from "./service-ports.js";
import { kubeconfig, startCluster, stopCluster } from "./test-cluster.js";

// Inside NETNS, so they cannot collide with anything on the machine.
const CLUSTER_PORTS = { api: 6443, plain: 16080, etcd: 12379 };
const MANIFEST = join(REPO_ROOT, "manifests", "kube-dns.yaml");
const SERVICE = join(REPO_ROOT, "manifests", "kube-dns-svc.yaml");
const OVERLAY = join(REPO_ROOT, "e2e", "containers", "overlay.yaml");

interface PodTemplate {
  metadata: { name: string };
  spec: { template: { spec: { containers: { ports?: ContainerPort[] }[]; volumes?: { name: string; emptyDir?: unknown }[] } } };
}

/** HttpAnswer is an HTTP status and body, as fetched from inside NETNS. */
export interface HttpAnswer {
  readonly status: number;
  readonly body: string;
}

/**
 * PlayedPod is manifests/kube-dns.yaml run by `podman kube play` with the suite's overlay (e2e/containers/overlay.yaml):
 * the pod's network, the test's API server and every client live in NETNS, a network namespace the suite creates, so
 * no packet reaches the machine's own network. The kube-dns Service is played the way kube-proxy does it: its cluster
 * IP, port 53, is DNATed to the pod's IP and the port its targetPort names.
 */
export class PlayedPod {
  private constructor(
    readonly dir: string,
    readonly podName: string,
    readonly podIp: string,
    readonly clusterDnsIp: string,
    private readonly cluster: ChildProcess,
    private readonly volumes: readonly string[],
  ) {}

  /**
   * play builds nothing (the images must exist), plays the manifest and resolves once every probe of the manifest
   * passes and exec-healthz reports a real run (not the seed it starts with). A failure part-way removes what was
   * made, then throws.
   */
  static async play(): Promise<PlayedPod> {
    await requirePodman();
    takeLock();
    const template = parse(readFileSync(MANIFEST, "utf8")) as PodTemplate;
    const podName = `${template.metadata.name}-pod-0`;
    // podman kube play makes each emptyDir a volume named after it.
    const volumes = (template.spec.template.spec.volumes ?? []).filter((v) => v.emptyDir !== undefined).map((v) => v.name);
    const dir = mkdtempSync(join(tmpdir(), "kube-dns-containers-"));
    let cluster: ChildProcess | undefined;
    try {
      await removeLeftovers(podName, volumes);
      await checked("ip", ["netns", "add", NETNS]);
      await checked("ip", ["-n", NETNS, "link", "set", "lo", "up"]);
      const network = await kubeNetwork();
      chmodSync(dir, 0o755); // kube2sky (uid 1000) reads the service account below it
      const serviceAccount = makeServiceAccount(dir, network.gateway);
      cluster = await startCluster(dir, serviceAccount.token, CLUSTER_PORTS);
      const apiUrl = `https://${network.gateway}:${CLUSTER_PORTS.api}`;
      writeFileSync(join(dir, "kubectl.kubeconfig"), kubeconfig(apiUrl, join(serviceAccount.dir, "ca.crt"), serviceAccount.token), { mode: 0o600 });
      const values = { SERVICE_ACCOUNT_DIR: serviceAccount.dir, API_HOST: network.gateway, API_PORT: String(CLUSTER_PORTS.api) };
      writeFileSync(join(dir, "kube-dns.yaml"), overlay(readFileSync(MANIFEST, "utf8"), readFileSync(OVERLAY, "utf8"), values));
      await podmanInNetns(["kube", "play", join(dir, "kube-dns.yaml")], 180_000);
      const infra = (await podman(["pod", "inspect", podName, "--format", "{{.InfraContainerID}}"])).trim();
      const podIp = (await podman(["inspect", infra, "--format", "{{range .NetworkSettings.Networks}}{{.IPAddress}}{{end}}"])).trim();
      const containerPorts = template.spec.template.spec.containers.flatMap((c) => c.ports ?? []);
      const clusterDnsIp = await playService(SERVICE, containerPorts, network.bridge, podIp);
      const pod = new PlayedPod(dir, podName, podIp, clusterDnsIp, cluster, volumes);
      await pod.waitReady(180_000);
      return pod;
    } catch (error) {
      await teardown(podName, volumes, cluster, dir);
      throw error;
    }
  }

  /** containers inspects the pod's four containers, keyed by the manifest's names. */
  containers(): Promise<Map<string, ContainerState>> {
    return podContainers(this.podName);
  }

  /** container inspects one of them. */
  async container(name: string): Promise<ContainerState> {
    const found = (await this.containers()).get(name);
    if (found === undefined) throw new Error(`the played pod has no container ${name}`);
    return found;
  }

  /** podman runs a podman command in NETNS (where the pod's network is), returning its stdout. */
  podman(args: readonly string[], timeoutMs = 60_000): Promise<string> {
    return podmanInNetns(args, timeoutMs);
  }

  /** inNetns runs a program in NETNS, as a node's process would run next to the pod. */
  inNetns(command: string, args: readonly string[], timeoutMs = 15_000): Promise<CommandResult> {
    return inNetns(NETNS, command, args, timeoutMs);
  }

  /** http fetches http://POD_IP:port/path from NETNS, as the kubelet's probes do; no answer within timeoutSeconds is status 0. */
  async http(port: number, path: string, timeoutSeconds = 5): Promise<HttpAnswer> {
    const url = `http://${this.podIp}:${port}${path}`;
    const result = await this.inNetns("curl", ["-s", "-m", String(timeoutSeconds), "-o", "-", "-w", "\n%{http_code}", url], (timeoutSeconds + 5) * 1000);
    const cut = result.stdout.lastIndexOf("\n");
    return { status: Number(result.stdout.slice(cut + 1)) || 0, body: result.stdout.slice(0, Math.max(0, cut)) };
  }

  /** kubectl runs kubectl against the test's API server (its TLS front, with the token), from NETNS, and records it. */
  async kubectl(args: readonly string[], transcript?: Transcript): Promise<CommandResult> {
    const result = await this.inNetns("kubectl", ["--kubeconfig", join(this.dir, "kubectl.kubeconfig"), ...args], 60_000);
    transcript?.command("node", ["kubectl", ...args].join(" "), result);
    return result;
  }

  /** etcdctl runs etcdctl inside the pod's etcd container (podman exec), against the pod's etcd on its loopback. */
  async etcdctl(args: readonly string[], transcript?: Transcript): Promise<CommandResult> {
    const { id } = await this.container("etcd");
    const result = await runCommand("podman", ["exec", id, "etcdctl", ...args], 30_000);
    transcript?.command("etcd", ["etcdctl", ...args].join(" "), result);
    return result;
  }

  /** shell is a pod in namespace on the same network, whose resolv.conf kubelet wrote for the cluster DNS Service. */
  shell(name: string, namespace: string, transcript?: Transcript): PodShell {
    const resolvConf = kubeletResolvConf({
      namespace,
      dnsPolicy: "ClusterFirst",
      clusterDNS: this.clusterDnsIp,
      clusterDomain: "cluster.local",
      node: { nameservers: [], searches: [] },
    });
    return new PodShell(name, resolvConf, transcript, NETNS);
  }

  /**
   * waitReady waits until every HTTP probe of the manifest answers 200 at the pod's IP, as a kubelet would see it,
   * exec-healthz's for a real run of its command (not the seed it starts with).
   */
  async waitReady(timeoutMs: number): Promise<void> {
    for (const probe of manifestContainers().probes) {
      let last: HttpAnswer | undefined;
      const attempt = async (): Promise<true | undefined> => {
        last = await this.http(probe.port, probe.path, probe.timeoutSeconds);
        return last.status === 200 && !last.body.includes("seeded at start") ? true : undefined;
      };
      await eventually(attempt, { what: `${probe.container}'s probe ${probe.port}${probe.path}`, timeoutMs, intervalMs: 500 }).catch(async (error: unknown) => {
        throw new Error(`${String(error)}; last answer ${JSON.stringify(last)}; containers ${JSON.stringify([...(await this.containers()).values()])}`);
      });
    }
  }

  /** stop removes everything play made: the pod, its volume, the API server, NETNS and the temporary files. */
  stop(): Promise<void> {
    return teardown(this.podName, this.volumes, this.cluster, this.dir);
  }
}

async function teardown(podName: string, volumes: readonly string[], cluster: ChildProcess | undefined, dir: string): Promise<void> {
  try {
    if (cluster !== undefined) await stopCluster(cluster);
    await removeLeftovers(podName, volumes);
  } finally {
    rmSync(dir, { recursive: true, force: true });
    releaseLock();
  }
}
