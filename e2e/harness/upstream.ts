import { spawn } from "node:child_process";
import { createSocket } from "node:dgram";
import { freePort, terminate } from "@kube-dns/etcd-process";

/** Upstream is a second DNS server on loopback, serving a made-up zone: what skydns forwards to in the tests. */
export interface Upstream {
  /** `<host>:<port>`, for skydns's --nameservers. */
  readonly address: string;
  readonly host: string;
  readonly port: number;
  stop(): Promise<void>;
}

/** UpstreamOptions place the server; the defaults are 127.0.0.1 and a free port. */
export interface UpstreamOptions {
  /** A loopback address (127.0.0.0/8): nothing is ever sent elsewhere. */
  readonly host?: string;
  /** 53 lets a pod's resolv.conf (which has no port) name this server, as a node's resolver. */
  readonly port?: number;
  /** Answer NXDOMAIN for every other name, as the internet does for a name nobody owns, instead of REFUSED. */
  readonly nxdomainElsewhere?: boolean;
}

/**
 * startUpstream runs Debian's dnsmasq on 127.0.0.1 with a free port, answering only the names given (name -> IPv4)
 * and nothing else: no upstream of its own (--no-resolv), no /etc/hosts, so no query ever leaves loopback.
 */
export async function startUpstream(records: Readonly<Record<string, string>>, options: UpstreamOptions = {}): Promise<Upstream> {
  const host = options.host ?? "127.0.0.1";
  if (!host.startsWith("127.")) throw new Error(`the upstream must listen on loopback, not ${host}`);
  const port = options.port ?? (await freePortUdp());
  const args = ["--keep-in-foreground", `--port=${port}`, `--listen-address=${host}`, "--bind-interfaces", "--no-resolv", "--no-hosts", "--user=root", "--pid-file=", "--log-facility=-"];
  for (const [name, ip] of Object.entries(records)) args.push(`--address=/${name.replace(/\.$/, "")}/${ip}`);
  // dnsmasq's `#` matches every domain; the more specific entries above still win.
  if (options.nxdomainElsewhere === true) args.push("--address=/#/");
  const child = spawn("dnsmasq", args, { stdio: ["ignore", "ignore", "pipe"] });
  let stderr = "";
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString("utf8")));
  await waitAnswering(host, port, () => (child.exitCode !== null ? `dnsmasq exited: ${stderr}` : undefined));
  return { address: `${host}:${port}`, host, port, stop: () => terminate(child) };
}

async function freePortUdp(): Promise<number> {
  // A port free for TCP is almost always free for UDP too; dnsmasq binds both.
  return freePort("127.0.0.1");
}

// Sends a bare header-only query until something answers on the port, for at most 5 s.
async function waitAnswering(host: string, port: number, failed: () => string | undefined): Promise<void> {
  const deadline = Date.now() + 5000;
  const probe = Buffer.from([0x12, 0x34, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 1]);
  for (let probes = 0; probes < 500 && Date.now() < deadline; probes++) {
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
      socket.send(probe, port, host);
    });
    if (answered) return;
  }
  throw new Error(`dnsmasq on ${host}:${port} did not answer within 5 s`);
}
