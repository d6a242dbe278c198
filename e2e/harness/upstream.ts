import { spawn } from "node:child_process";
import { createSocket } from "node:dgram";
import { freePort, terminate } from "@kube-dns/etcd-process";

/** Upstream is a second DNS server on loopback, serving a made-up zone: what skydns forwards to in the tests. */
export interface Upstream {
  /** `127.0.0.1:<port>`, for skydns's --nameservers. */
  readonly address: string;
  readonly port: number;
  stop(): Promise<void>;
}

/**
 * startUpstream runs Debian's dnsmasq on 127.0.0.1 with a free port, answering only the names given (name -> IPv4)
 * and nothing else: no upstream of its own (--no-resolv), no /etc/hosts, so no query ever leaves loopback.
 */
export async function startUpstream(records: Readonly<Record<string, string>>): Promise<Upstream> {
  const port = await freePortUdp();
  const args = ["--keep-in-foreground", `--port=${port}`, "--listen-address=127.0.0.1", "--bind-interfaces", "--no-resolv", "--no-hosts", "--user=root", "--pid-file=", "--log-facility=-"];
  for (const [name, ip] of Object.entries(records)) args.push(`--address=/${name.replace(/\.$/, "")}/${ip}`);
  const child = spawn("dnsmasq", args, { stdio: ["ignore", "ignore", "pipe"] });
  let stderr = "";
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString("utf8")));
  await waitAnswering(port, () => (child.exitCode !== null ? `dnsmasq exited: ${stderr}` : undefined));
  return { address: `127.0.0.1:${port}`, port, stop: () => terminate(child) };
}

async function freePortUdp(): Promise<number> {
  // A port free for TCP is almost always free for UDP too; dnsmasq binds both.
  return freePort("127.0.0.1");
}

// Sends a bare header-only query until something answers on the port, for at most 5 s.
async function waitAnswering(port: number, failed: () => string | undefined): Promise<void> {
  const deadline = Date.now() + 5000;
  const probe = Buffer.from([0x12, 0x34, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 1]);
  while (Date.now() < deadline) {
    const failure = failed();
    if (failure !== undefined) throw new Error(failure);
    const answered = await new Promise<boolean>((resolve) => {
      const socket = createSocket("udp4");
      const timer = setTimeout(() => {
        socket.close();
        resolve(false);
      }, 100);
      socket.once("message", () => {
        clearTimeout(timer);
        socket.close();
        resolve(true);
      });
      socket.once("error", () => {
        clearTimeout(timer);
        socket.close();
        resolve(false);
      });
      socket.send(probe, port, "127.0.0.1");
    });
    if (answered) return;
  }
  throw new Error(`dnsmasq on 127.0.0.1:${port} did not answer within 5 s`);
}
