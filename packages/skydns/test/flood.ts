import { type ChildProcess, spawn } from "node:child_process";
import { createSocket, type Socket } from "node:dgram";
import { readFileSync } from "node:fs";
import { connect, type Socket as TcpSocket } from "node:net";
import dnsPacket from "dns-packet";
import { terminate } from "@kube-dns/etcd-process";

const MAIN = ["--conditions=source", "--import", "tsx", "packages/skydns/src/main.ts"];
const CWD = new URL("../../../", import.meta.url).pathname;
const REPLY_MS = 5000;
/** RESEND_MS is how often a UDP probe is sent again, as a stub resolver retries: a flood may fill the kernel's queue. */
const RESEND_MS = 250;

/** SkyDNSProcess is skydns as a child process, so that its memory is its own and not the flooder's. */
export interface SkyDNSProcess {
  readonly child: ChildProcess;
  /** rssMiB is the child's resident memory now (Linux /proc). */
  rssMiB(): number;
  /** metric sums the samples of one metric on its /metrics whose label text contains `labels` (e.g. `reason="idle"`). */
  metric(name: string, labels?: string): Promise<number>;
  stop(): Promise<void>;
}

/** startSkyDNSProcess spawns skydns with args plus --metrics-addr on metricsPort; stderr is kept for a failure. */
export function startSkyDNSProcess(args: readonly string[], metricsPort: number): SkyDNSProcess {
  const child = spawn(process.execPath, [...MAIN, "--metrics-addr", `127.0.0.1:${metricsPort}`, "--log-level", "warn", ...args], { cwd: CWD, stdio: ["ignore", "ignore", "pipe"] });
  child.stderr?.resume();
  return {
    child,
    rssMiB: () => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${child.pid}/status`, "utf8"))?.[1] ?? 0) / 1024,
    async metric(name, labels = "") {
      const text = await (await fetch(`http://127.0.0.1:${metricsPort}/metrics`, { signal: AbortSignal.timeout(10_000) })).text();
      return text.split("\n")
        .filter((line) => (line.startsWith(`${name} `) || line.startsWith(`${name}{`)) && line.includes(labels))
        .reduce((sum, line) => sum + Number(line.slice(line.lastIndexOf(" ") + 1)), 0);
    },
    stop: () => terminate(child),
  };
}

/** RssSampler records the highest RSS of a process while it runs, every 100 ms. */
export class RssSampler {
  peak: number;
  private readonly timer: NodeJS.Timeout;
  constructor(private readonly rss: () => number) {
    this.peak = rss();
    this.timer = setInterval(() => (this.peak = Math.max(this.peak, this.rss())), 100);
  }
  stop(): number {
    clearInterval(this.timer);
    return (this.peak = Math.max(this.peak, this.rss()));
  }
}

/** query encodes one A question with an id. */
export const query = (name: string, id = 0): Buffer => dnsPacket.encode({ id, flags: dnsPacket.RECURSION_DESIRED, questions: [{ name, type: "A", class: "IN" }] });

/** ProbeResult is what a prober saw: answers that were right, all it asked, and the latencies of the answered. */
export interface ProbeResult {
  right: number;
  total: number;
  readonly latenciesMs: number[];
}

/** p99 is the 99th percentile of latencies (0 when empty). */
export function p99(latenciesMs: readonly number[]): number {
  const sorted = [...latenciesMs].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(sorted.length * 0.99) - 1)] ?? 0;
}

/** Check says whether a decoded reply is the right answer. */
export type Check = (reply: dnsPacket.DecodedPacket) => boolean;

/**
 * probe asks one valid question every intervalMs until stop() resolves (or count questions), each awaited for at
 * most REPLY_MS, over UDP (sent again every RESEND_MS, latency counted from the first send) or over a new TCP
 * connection per question, and checks every answer.
 */
export async function probe(port: number, proto: "udp" | "tcp", name: string, check: Check, until: Promise<unknown>, intervalMs = 25, count = 2000): Promise<ProbeResult> {
  const result: ProbeResult = { right: 0, total: 0, latenciesMs: [] };
  let stopped = false;
  void until.then(() => (stopped = true));
  const udp = proto === "udp" ? await boundSocket() : undefined;
  try {
    for (let i = 1; !stopped && i <= count; i++) {
      const id = i & 0xffff;
      const started = performance.now();
      const bytes = await (udp === undefined ? askTcp(port, query(name, id)) : askUdp(udp, port, query(name, id)));
      result.total++;
      if (bytes !== undefined) {
        const reply = dnsPacket.decode(bytes);
        if (reply.id === id && check(reply)) {
          result.right++;
          result.latenciesMs.push(performance.now() - started);
        }
      }
      await new Promise((resolve) => setTimeout(resolve, intervalMs));
    }
  } finally {
    udp?.close();
  }
  return result;
}

/** boundSocket is a UDP socket bound on loopback. */
export async function boundSocket(): Promise<Socket> {
  const socket = createSocket("udp4");
  await new Promise<void>((resolve) => socket.bind(0, "127.0.0.1", resolve));
  return socket;
}

function askUdp(socket: Socket, port: number, packet: Buffer): Promise<Buffer | undefined> {
  return new Promise((resolve) => {
    const done = (reply: Buffer | undefined): void => {
      clearTimeout(timer);
      clearInterval(resend);
      socket.off("message", onMessage);
      resolve(reply);
    };
    const onMessage = (reply: Buffer): void => {
      if (reply.length >= 2 && reply[0] === packet[0] && reply[1] === packet[1]) done(reply);
    };
    const timer = setTimeout(() => done(undefined), REPLY_MS);
    const resend = setInterval(() => socket.send(packet, port, "127.0.0.1"), RESEND_MS);
    socket.on("message", onMessage);
    socket.send(packet, port, "127.0.0.1");
  });
}

/** askTcp sends one query on a new connection and resolves with the reply, or undefined on a reset or timeout. */
export function askTcp(port: number, packet: Buffer): Promise<Buffer | undefined> {
  return new Promise((resolve) => {
    const socket = connect(port, "127.0.0.1");
    let received = Buffer.alloc(0);
    const done = (reply: Buffer | undefined): void => {
      clearTimeout(timer);
      socket.destroy();
      resolve(reply);
    };
    const timer = setTimeout(() => done(undefined), REPLY_MS);
    socket.on("error", () => done(undefined));
    socket.on("close", () => done(undefined));
    socket.on("data", (chunk: Buffer) => {
      received = Buffer.concat([received, chunk]);
      if (received.length >= 2 && received.length >= 2 + received.readUInt16BE(0)) done(received.subarray(2, 2 + received.readUInt16BE(0)));
    });
    socket.write(Buffer.concat([Buffer.from([packet.length >> 8, packet.length & 0xff]), packet]));
  });
}

/**
 * udpFlood sends the packets (cycling) from `sockets` sockets as fast as the kernel takes them, `window` sends in
 * flight per socket, until durationMs or maxSent, and counts the replies it gets.
 */
export async function udpFlood(port: number, packets: readonly Buffer[], durationMs: number, sockets = 4, window = 32, maxSent = 3_000_000): Promise<{ sent: number; replies: number }> {
  const all = await Promise.all(Array.from({ length: sockets }, boundSocket));
  let replies = 0;
  for (const socket of all) socket.on("message", () => replies++);
  const deadline = performance.now() + durationMs;
  let sent = 0;
  await Promise.all(all.flatMap((socket) => Array.from({ length: window }, () => new Promise<void>((resolve) => {
    const next = (): void => {
      if (performance.now() >= deadline || sent >= maxSent) return resolve();
      // A send the kernel takes at once calls back on the next tick, which would starve this process's own I/O.
      socket.send(packets[sent++ % packets.length]!, port, "127.0.0.1", () => setImmediate(next));
    };
    next();
  }))));
  await new Promise((resolve) => setTimeout(resolve, 200));
  for (const socket of all) socket.close();
  return { sent, replies };
}

/** openTcp opens `count` connections, `batch` at a time, resolving once each is connected (or failed). */
export async function openTcp(port: number, count: number, batch = 100): Promise<TcpSocket[]> {
  const sockets: TcpSocket[] = [];
  for (let i = 0; i < count; i += batch) {
    const opened = await Promise.all(Array.from({ length: Math.min(batch, count - i) }, () => new Promise<TcpSocket>((resolve) => {
      const socket = connect(port, "127.0.0.1");
      socket.on("error", () => {});
      socket.once("connect", () => resolve(socket));
      socket.once("close", () => resolve(socket));
    })));
    sockets.push(...opened);
  }
  return sockets;
}
