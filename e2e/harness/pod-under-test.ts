import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join, relative } from "node:path";
import { type CommandResult, pgrep, runCommand } from "./command.js";
import { LauncherProcess, REPO_ROOT } from "./launcher-process.js";
import { choosePodPorts, freeLoopbackAddress, type PodPorts } from "./pod-ports.js";
import { type ContainerName, containerPattern, killLeftovers } from "./pod-processes.js";
import { PodShell } from "./pod-shell.js";
import { eventually } from "./poll.js";
import type { QueryLogEntry } from "./query-log.js";
import { requireRoot } from "./require-root.js";
import { type DNSPolicy, kubeletResolvConf, type PodDNSConfig } from "./resolv-conf.js";
import type { Transcript } from "./transcript.js";
import { startUpstream, type Upstream } from "./upstream.js";

/** The made-up zone the upstream (the tests' "internet") serves: a name no cluster holds. */
export const OUTSIDE_NAME = "db.corp.example";
export const OUTSIDE_IP = "192.0.2.10";

/**
 * PodOptions place one pod under test: skydns on port 53 of loopbackIp, its upstream on port 53 of upstreamIp (free
 * loopback addresses when omitted, so that two test runs on one machine never collide).
 */
export interface PodOptions {
  readonly loopbackIp?: string;
  /** The node's resolver: dnsmasq serving OUTSIDE_NAME, NXDOMAIN for every other name. */
  readonly upstreamIp?: string;
  /** skydns logs every query (`--query-log`), for queriesSince; on unless turned off (a load test asks too much). */
  readonly queryLog?: boolean;
  /** More flags for `kube-dns up`. */
  readonly upArgs?: readonly string[];
  /** Run the programs' built dist/ (what the images run, for measurements) instead of their sources (the default). */
  readonly built?: boolean;
  /** Members of the pod's etcd (`--etcd-members`); 1 when omitted. */
  readonly etcdMembers?: number;
  /** Serve the status page on ports.status (`--status-port`); off unless asked, so other tests pay nothing for it. */
  readonly statusPage?: boolean;
}

/** PodDNS is what kubelet reads from a pod spec to write its resolv.conf. */
export interface PodDNS {
  readonly namespace?: string;
  readonly dnsPolicy?: DNSPolicy;
  readonly dnsConfig?: PodDNSConfig;
}

/** KillOptions bound PodUnderTest.kill and say what to do while the container is down. */
export interface KillOptions {
  readonly timeoutMs?: number;
  readonly whileDown?: () => Promise<void>;
}

const BANNER_TIMEOUT_MS = 90_000;
const STOP_GRACE_MS = 25_000;

/** The names queriesSince and mark ask to sync skydns's query log; never in an answer's list. */
const SENTINEL_ZONE = ".e2e-sentinel.cluster.local";

/**
 * PodUnderTest is the whole kube-dns pod started with `kube-dns up --from-source --query-log` (a local cluster
 * included), plus the clients a person would use on it: kubectl, etcdctl, dig, and pods' resolvers (PodShell).
 */
export class PodUnderTest {
  private readonly shells: PodShell[] = [];
  private sentinels = 0;

  private constructor(
    readonly dnsIp: string,
    readonly upstream: Upstream,
    readonly stateDir: string,
    readonly ports: PodPorts,
    private readonly launcher: LauncherProcess,
    /** Members of the pod's etcd. */
    readonly etcdMembers: number,
  ) {}

  /** start brings the pod up and resolves once the launcher printed its banner (exec-healthz's nslookup passed). */
  static async start(options: PodOptions = {}): Promise<PodUnderTest> {
    requireRoot();
    const loopbackIp = options.loopbackIp ?? (await freeLoopbackAddress());
    const upstreamIp = options.upstreamIp ?? (await freeLoopbackAddress([loopbackIp]));
    for (const ip of [loopbackIp, upstreamIp]) if (!ip.startsWith("127.")) throw new Error(`${ip} is not a loopback address`);
    const upstream = await startUpstream({ [OUTSIDE_NAME]: OUTSIDE_IP }, { host: upstreamIp, port: 53, nxdomainElsewhere: true });
    const stateDir = mkdtempSync(join(tmpdir(), "kube-dns-e2e-"));
    let launcher: LauncherProcess | undefined;
    try {
      const ports = await choosePodPorts(options.etcdMembers);
      launcher = new LauncherProcess([
        "up", ...(options.built === true ? [] : ["--from-source"]), ...(options.queryLog === false ? [] : ["--query-log"]),
        `--state-dir=${stateDir}`,
        `--dns-addr=${loopbackIp}:53`,
        // Always the loopback upstream: skydns must never forward to the machine's own resolver.
        `--nameservers=${upstream.address}`,
        `--etcd-port=${ports.etcd}`, `--cluster-etcd-port=${ports.clusterEtcd}`, `--apiserver-port=${ports.apiserver}`,
        `--healthz-port=${ports.healthz}`, `--readiness-port=${ports.readiness}`, `--metrics-port=${ports.metrics}`,
        // Tests kill containers again and again; the kubelet's 10s back-off (the supervisor's tests hold it) would
        // only add waiting. A container still waits 1s, then 2s, 4s before each further restart.
        "--restart-backoff=1s",
        `--status-port=${options.statusPage === true ? ports.status : 0}`,
        ...(options.etcdMembers === undefined ? [] : [`--etcd-members=${options.etcdMembers}`]),
        ...(options.upArgs ?? []),
      ]);
      const pod = new PodUnderTest(loopbackIp, upstream, stateDir, ports, launcher, options.etcdMembers ?? 1);
      try {
        await launcher.waitForBanner(BANNER_TIMEOUT_MS);
      } catch (error) {
        await pod.stop().catch(() => undefined);
        throw error;
      }
      return pod;
    } catch (error) {
      if (launcher === undefined) {
        await upstream.stop();
        rmSync(stateDir, { recursive: true, force: true });
      }
      throw error;
    }
  }

  get kubeconfig(): string {
    return join(this.stateDir, "kubeconfig");
  }

  get etcdUrl(): string {
    return `http://127.0.0.1:${this.ports.etcd}`;
  }

  /** The client URL of every member of the pod's etcd (the first is etcdUrl). */
  get etcdUrls(): string[] {
    return Array.from({ length: this.etcdMembers }, (_, i) => `http://127.0.0.1:${this.ports.etcd + 2 * i}`);
  }

  get healthzUrl(): string {
    return `http://127.0.0.1:${this.ports.healthz}/healthz`;
  }

  /** The status page (with PodOptions.statusPage). */
  get statusUrl(): string {
    return `http://127.0.0.1:${this.ports.status}/`;
  }

  /** The local cluster's etcd, where the API server keeps /registry. */
  get clusterEtcdUrl(): string {
    return `http://127.0.0.1:${this.ports.clusterEtcd}`;
  }

  /** The local API server. */
  get apiserverUrl(): string {
    return `http://127.0.0.1:${this.ports.apiserver}`;
  }

  /** readinessUrl is where the launcher (as the kubelet) reads a container's readiness. */
  readinessUrl(container: ContainerName): string {
    const urls: Record<ContainerName, string> = {
      skydns: `http://127.0.0.1:${this.ports.metrics}/ready`,
      kube2sky: `http://127.0.0.1:${this.ports.readiness}/readiness`,
      "exec-healthz": this.healthzUrl,
      etcd: `${this.etcdUrl}/health`,
      "dev-apiserver": `${this.apiserverUrl}/readyz`,
    };
    return urls[container];
  }

  /** skydnsMetric reads one sample of skydns's /metrics (the sum over label sets that contain labels), or undefined. */
  skydnsMetric(name: string, labels: Record<string, string> = {}): Promise<number | undefined> {
    return metricSample(`http://127.0.0.1:${this.ports.metrics}/metrics`, name, labels);
  }

  /** kube2skyMetric reads one sample of kube2sky's /metrics, as skydnsMetric does skydns's. */
  kube2skyMetric(name: string, labels: Record<string, string> = {}): Promise<number | undefined> {
    return metricSample(`http://127.0.0.1:${this.ports.readiness}/metrics`, name, labels);
  }

  /**
   * kill SIGKILLs a container, as a crash would, and resolves once the launcher (the kubelet here) runs it again
   * and it is ready, with the seconds that took. A first crash is restarted at once. whileDown runs right after the
   * kill, before the restart is awaited: what a fault does while the container is gone (the restart may be quick).
   */
  async kill(container: ContainerName, options: KillOptions = {}): Promise<number> {
    const { timeoutMs = 120_000, whileDown } = options;
    const started = Date.now();
    const pid = await this.pidOf(container);
    if (pid === undefined) throw new Error(`${container} is not running`);
    process.kill(pid, "SIGKILL");
    await whileDown?.();
    await eventually(async () => {
      const now = await this.pidOf(container);
      return now !== undefined && now !== pid ? now : undefined;
    }, { what: `a new ${container} process`, timeoutMs, intervalMs: 100 });
    await eventually(async () => {
      const response = await fetch(this.readinessUrl(container), { signal: AbortSignal.timeout(2000) });
      return response.status === 200 ? true : undefined;
    }, { what: `${container} ready again (${this.readinessUrl(container)})`, timeoutMs: Math.max(1000, timeoutMs - (Date.now() - started)), intervalMs: 100 });
    return (Date.now() - started) / 1000;
  }

  /**
   * pause freezes a container (SIGSTOP), as a hung process: it holds its ports and answers nothing, and the launcher
   * does not restart it. The returned function thaws it (SIGCONT); call it in a finally.
   */
  async pause(container: ContainerName): Promise<() => void> {
    const pid = await this.pidOf(container);
    if (pid === undefined) throw new Error(`${container} is not running`);
    process.kill(pid, "SIGSTOP");
    return () => process.kill(pid, "SIGCONT");
  }

  /**
   * mark returns a position in skydns's query log, for queriesSince. Every query answered before the call is before
   * the mark: skydns's log reaches us through the launcher a moment after the answer, so the log is synced first.
   */
  async mark(): Promise<number> {
    await this.syncQueryLog();
    return this.launcher.queryCount();
  }

  /** queriesSince returns the queries skydns answered after mark, in order, every one of them (the log is synced). */
  async queriesSince(mark: number): Promise<QueryLogEntry[]> {
    await this.syncQueryLog();
    return this.launcher.queriesSince(mark).filter((query) => !query.name.endsWith(SENTINEL_ZONE));
  }

  // Asks a sentinel name and waits until it shows in the log: everything answered before it is then in too.
  private async syncQueryLog(): Promise<void> {
    const sentinel = `sync-${++this.sentinels}${SENTINEL_ZONE}`;
    const mark = this.launcher.queryCount();
    await this.dig(["+short", sentinel]);
    await eventually(async () => (this.launcher.queriesSince(mark).some((query) => query.name === sentinel) ? true : undefined), { what: `${sentinel} in skydns's query log`, timeoutMs: 5000, intervalMs: 20 });
  }

  /** outputTail is the launcher's last output lines, for failure messages. */
  outputTail(lines?: number): string {
    return this.launcher.tail(lines);
  }

  /** kubectl runs the real kubectl against the local cluster; the transcript shows it as typed, without --kubeconfig. */
  kubectl(args: readonly string[], transcript?: Transcript): Promise<CommandResult> {
    return this.node(transcript, "kubectl", ["--kubeconfig", this.kubeconfig, ...args], ["kubectl", ...args]);
  }

  /** etcdctl runs the real etcdctl (v3 API) against the pod's etcd. */
  etcdctl(args: readonly string[], transcript?: Transcript): Promise<CommandResult> {
    return this.node(transcript, "etcdctl", ["--endpoints", this.etcdUrl, ...args], ["etcdctl", ...args]);
  }

  /** kubeDnsTree runs `kube-dns tree` on the pod's etcd. */
  kubeDnsTree(transcript?: Transcript): Promise<CommandResult> {
    return this.kubeDns("tree", ["--etcd-server", this.etcdUrl], [], transcript);
  }

  /**
   * kubeDnsDoctor runs `kube-dns doctor` on the pod's API server, etcd and skydns (or the DNS server at dnsAddr);
   * args are more flags, as typed.
   */
  kubeDnsDoctor(args: readonly string[] = [], options: { dnsAddr?: string; transcript?: Transcript; timeoutMs?: number } = {}): Promise<CommandResult> {
    const where = ["--kubeconfig", this.kubeconfig, "--etcd-server", this.etcdUrl, "--dns-addr", options.dnsAddr ?? `${this.dnsIp}:53`];
    return this.kubeDns("doctor", where, args, options.transcript, options.timeoutMs);
  }

  // Runs the kube-dns command from its sources; the transcript shows what is typed, without the pod's addresses.
  // The pod's addresses come first, so that a flag in args overrides one of them.
  private kubeDns(command: string, where: readonly string[], args: readonly string[], transcript: Transcript | undefined, timeoutMs = 60_000): Promise<CommandResult> {
    const argv = ["--conditions=source", "--import", "tsx", join(REPO_ROOT, "packages", "launcher", "src", "main.ts"), command, ...where, ...args];
    return this.node(transcript, process.execPath, argv, ["kube-dns", command, ...args], timeoutMs);
  }

  /** kubeDnsExplain runs `kube-dns explain ARGS...` against this pod's skydns and etcd (ARGS may name others). */
  kubeDnsExplain(args: readonly string[], transcript?: Transcript): Promise<CommandResult> {
    const wiring = ["--dns-addr", `${this.dnsIp}:53`, "--etcd-server", this.etcdUrl];
    const main = join(REPO_ROOT, "packages", "launcher", "src", "main.ts");
    // A node process that compiles the launcher's sources first: on two busy cores that alone can take over 20 s.
    return this.node(transcript, process.execPath, ["--conditions=source", "--import", "tsx", main, "explain", ...wiring, ...args], ["kube-dns", "explain", ...args], 60_000);
  }

  /** dig asks skydns directly from the node (`dig @<skydns> ...`), one try of one second. */
  dig(args: readonly string[], transcript?: Transcript): Promise<CommandResult> {
    return this.node(transcript, "dig", [`@${this.dnsIp}`, "+time=1", "+tries=1", ...args], ["dig", `@${this.dnsIp}`, ...args]);
  }

  /** shell gives a pod with the resolv.conf kubelet would write for it; the node's resolver is the upstream. */
  shell(name: string, dns: PodDNS = {}, transcript?: Transcript): PodShell {
    const resolvConf = kubeletResolvConf({
      namespace: dns.namespace ?? "default",
      dnsPolicy: dns.dnsPolicy ?? "ClusterFirst",
      clusterDNS: this.dnsIp,
      clusterDomain: "cluster.local",
      node: { nameservers: [this.upstream.host], searches: [] },
      dnsConfig: dns.dnsConfig,
    });
    const shell = new PodShell(name, resolvConf, transcript);
    this.shells.push(shell);
    return shell;
  }

  /** healthz is exec-healthz's answer right now: its status code and body. */
  async healthz(): Promise<{ status: number; body: string }> {
    const response = await fetch(this.healthzUrl, { signal: AbortSignal.timeout(3000) });
    return { status: response.status, body: await response.text() };
  }

  /** pidOf finds a container's process by an argument only it has; undefined while it is not running. */
  async pidOf(container: ContainerName): Promise<number | undefined> {
    const pids = await pgrep(containerPattern(container, this.stateDir, this.ports));
    if (pids.length > 1) throw new Error(`more than one ${container} process: ${pids.join(", ")}`);
    return pids[0];
  }

  /**
   * stop ends the pod as a user does (SIGTERM to the launcher, which stops its children), then checks that no process
   * of this pod is left (any found is SIGKILLed and reported), and removes the upstream, the pods' files and the state dir.
   */
  async stop(): Promise<void> {
    const problems: string[] = [];
    await this.launcher.stop(STOP_GRACE_MS).catch((error: unknown) => problems.push(String(error)));
    problems.push(...(await killLeftovers(this.stateDir, this.ports)));
    await this.upstream.stop();
    for (const shell of this.shells) shell.dispose();
    rmSync(this.stateDir, { recursive: true, force: true });
    if (problems.length > 0) throw new Error(problems.join("\n"));
  }

  // Runs a command on the node; the transcript shows `typed` (what a person would type) rather than the full argv.
  private async node(transcript: Transcript | undefined, command: string, args: readonly string[], typed: readonly string[], timeoutMs = 20_000): Promise<CommandResult> {
    const result = await runCommand(command, args, timeoutMs, REPO_ROOT);
    transcript?.command("node", typed.map(shortPath).join(" "), result);
    return result;
  }
}

// The transcript shows files as a person would type them: relative to the repository, a made-up manifest by its name.
function shortPath(arg: string): string {
  if (arg.startsWith(`${REPO_ROOT}/`)) return relative(REPO_ROOT, arg);
  if (arg.startsWith(join(tmpdir(), "kube-dns-e2e-manifest-"))) return basename(arg);
  return arg;
}

// Reads one sample of a Prometheus text page: the sum over the label sets that contain labels, or undefined.
async function metricSample(url: string, name: string, labels: Record<string, string>): Promise<number | undefined> {
  const text = await (await fetch(url, { signal: AbortSignal.timeout(5000) })).text();
  const wanted = Object.entries(labels).map(([k, v]) => `${k}="${v}"`);
  let sum: number | undefined;
  for (const line of text.split("\n")) {
    if (!line.startsWith(`${name} `) && !line.startsWith(`${name}{`)) continue;
    if (!wanted.every((pair) => line.includes(pair))) continue;
    sum = (sum ?? 0) + Number(line.slice(line.lastIndexOf(" ") + 1));
  }
  return sum;
}

/** startPod starts a PodUnderTest: the upstream, then `kube-dns up`, resolving once it is up. */
export function startPod(options: PodOptions): Promise<PodUnderTest> {
  return PodUnderTest.start(options);
}
