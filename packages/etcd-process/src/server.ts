import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { etcdBinary } from "./binary.js";
import { freePort } from "./ports.js";
import { askJson } from "./probe.js";
import { type EtcdTls, servingLine, tlsArgs } from "./tls.js";

/** EtcdOptions configures one etcd member listening on loopback. */
export interface EtcdOptions {
  /** Where etcd keeps its data; a fresh temporary directory (removed on stop) when omitted. */
  readonly dataDir?: string;
  /** Client port; a free one when omitted. */
  readonly clientPort?: number;
  /** Peer port; a free one when omitted. */
  readonly peerPort?: number;
  /** Host to listen on; loopback unless told otherwise. */
  readonly host?: string;
  /** etcd binary path or name on PATH. */
  readonly binary?: string;
  /** How long to wait for /health to say true. */
  readonly readyTimeoutMs?: number;
  /** Receives every line etcd prints (it logs JSON to stderr); dropped when omitted. */
  readonly onLog?: (line: string) => void;
  /** Membership of a multi-member cluster (startEtcdCluster fills it); a single member of its own when omitted. */
  readonly member?: ClusterMembership;
  /** Serve clients over TLS (an https client URL); plain HTTP when omitted. */
  readonly tls?: EtcdTls;
  /** More etcd flags, after the ones startEtcd sets (e.g. `--max-txn-ops=1000`). */
  readonly flags?: readonly string[];
}

/** ClusterMembership places one member in a cluster: its name, and every member's peer URL. */
export interface ClusterMembership {
  readonly name: string;
  /** `name=peerURL,...` of every member, this one included. */
  readonly initialCluster: string;
  readonly token: string;
}

/** EtcdServer is a running etcd member. stop() is safe to call more than once. */
export interface EtcdServer {
  /** The member's name (`default` for a single member). */
  readonly name: string;
  /** The client URL, e.g. `http://127.0.0.1:23791` (`https://` with tls). */
  readonly clientUrl: string;
  /** How it serves clients over TLS, when it does. */
  readonly tls: EtcdTls | undefined;
  readonly dataDir: string;
  /** The current process id (changes across restarts). */
  readonly pid: number;
  /** Stops the process (SIGTERM, then SIGKILL) and, for a temporary data dir, removes it. */
  stop(): Promise<void>;
  /** Stops the process but keeps its data, so start() can bring the same member back. */
  halt(): Promise<void>;
  /** SIGKILLs the process, as a crash would (no leadership handed over), keeping its data for start(). */
  kill(): Promise<void>;
  /** Starts the process again on the same ports and data after halt(). */
  start(): Promise<void>;
}

const running = new Set<ChildProcess>();
let exitHookInstalled = false;

// A test runner that dies must not leave etcd servers behind: kill them when this process exits.
function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.once("exit", () => {
    for (const child of running) child.kill("SIGKILL");
  });
}

/**
 * startEtcd launches a real etcd server and resolves once it reports healthy. Ports it chose itself are
 * chosen again when another process took them first.
 */
export async function startEtcd(options: EtcdOptions = {}): Promise<EtcdServer> {
  const portsChosenHere = options.clientPort === undefined && options.peerPort === undefined;
  for (let attempt = 1; ; attempt++) {
    try {
      return await startEtcdOnce(options);
    } catch (error) {
      const portTaken = /address already in use/.test(String(error));
      if (!portsChosenHere || !portTaken || attempt >= 3) throw error;
    }
  }
}

async function startEtcdOnce(options: EtcdOptions): Promise<EtcdServer> {
  const binary = etcdBinary(options.binary);
  const host = options.host ?? "127.0.0.1";
  const temporary = options.dataDir === undefined;
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), "kube-dns-etcd-"));
  const clientPort = options.clientPort ?? (await freePort(host));
  const peerPort = options.peerPort ?? (await freePort(host));
  const clientUrl = `${options.tls === undefined ? "http" : "https"}://${host}:${clientPort}`;
  const peerUrl = `http://${host}:${peerPort}`;
  const readyTimeoutMs = options.readyTimeoutMs ?? 15_000;
  const name = options.member?.name ?? "default";
  const args = [
    "--name", name,
    "--data-dir", dataDir,
    "--listen-client-urls", clientUrl,
    "--advertise-client-urls", clientUrl,
    "--listen-peer-urls", peerUrl,
    "--initial-advertise-peer-urls", peerUrl,
    "--initial-cluster", options.member?.initialCluster ?? `default=${peerUrl}`,
    ...(options.member === undefined ? [] : ["--initial-cluster-token", options.member.token, "--initial-cluster-state", "new"]),
    ...tlsArgs(options.tls),
    ...(options.flags ?? []),
  ];
  const serving = servingLine(options.tls, host, clientPort);
  installExitHook();

  let child: ChildProcess | undefined;
  let recentOutput: string[] = [];
  let servingSeen = false;

  const launch = async (): Promise<void> => {
    recentOutput = [];
    servingSeen = false;
    const proc = spawn(binary, args, { stdio: ["ignore", "pipe", "pipe"] });
    child = proc;
    running.add(proc);
    const onChunk = (chunk: Buffer): void => {
      for (const line of chunk.toString("utf8").split("\n")) {
        if (line === "") continue;
        // Only this process's own "serving" line proves that /health is answered by it and not by
        // another etcd that already holds the port.
        if (line.includes(serving)) servingSeen = true;
        recentOutput.push(line);
        if (recentOutput.length > 20) recentOutput.shift();
        options.onLog?.(line);
      }
    };
    proc.stdout?.on("data", onChunk);
    proc.stderr?.on("data", onChunk);
    proc.once("exit", () => running.delete(proc));
    await waitHealthy(clientUrl, options.tls, proc, readyTimeoutMs, () => servingSeen, () => recentOutput);
  };

  const halt = async (): Promise<void> => {
    if (child !== undefined) await terminate(child);
  };
  const kill = async (): Promise<void> => {
    if (child !== undefined) await terminate(child, 0);
  };

  const server: EtcdServer = {
    name,
    clientUrl,
    tls: options.tls,
    dataDir,
    get pid() {
      return child?.pid ?? -1;
    },
    halt,
    kill,
    start: launch,
    async stop() {
      await halt();
      if (temporary) rmSync(dataDir, { recursive: true, force: true });
    },
  };
  try {
    await launch();
  } catch (error) {
    await server.stop();
    throw error;
  }
  return server;
}

async function waitHealthy(
  clientUrl: string,
  tls: EtcdTls | undefined,
  proc: ChildProcess,
  timeoutMs: number,
  serving: () => boolean,
  output: () => string[],
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (proc.exitCode !== null || proc.signalCode !== null) {
      throw new Error(`etcd exited (${proc.exitCode ?? proc.signalCode}) before it was healthy:\n${output().join("\n")}`);
    }
    if (!serving()) {
      await new Promise((resolve) => setTimeout(resolve, 25));
      continue;
    }
    try {
      const body = (await askJson(`${clientUrl}/health`, tls, 1000)) as { health?: string };
      if (body.health === "true") return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`etcd at ${clientUrl} was not healthy after ${timeoutMs} ms:\n${output().join("\n")}`);
}

/** terminate sends SIGTERM, then SIGKILL after graceMs (at once for 0), and resolves when the process is gone. */
export function terminate(proc: ChildProcess, graceMs = 5000): Promise<void> {
  if (proc.exitCode !== null || proc.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const killer = setTimeout(() => proc.kill("SIGKILL"), graceMs);
    proc.once("exit", () => {
      clearTimeout(killer);
      resolve();
    });
    if (graceMs > 0) proc.kill("SIGTERM");
  });
}
