import { spawn } from "node:child_process";
import { createSocket } from "node:dgram";
import { createServer } from "node:net";
import dnsPacket, { type Answer, type DecodedPacket } from "dns-packet";
import { freePort, terminate } from "@kube-dns/etcd-process";

/** TestUpstream is a DNS server on loopback that skydns forwards to in the tests. */
export interface TestUpstream {
  readonly address: string;
  stop(): Promise<void>;
}

/**
 * startDnsmasq runs Debian's dnsmasq on a free loopback port with no upstream of its own (--no-resolv) and no
 * /etc/hosts, so nothing leaves loopback. `extra` holds more dnsmasq options (--address=..., --ptr-record=...).
 * It resolves when dnsmasq logs that it started (its sockets are bound by then).
 */
export async function startDnsmasq(extra: readonly string[]): Promise<TestUpstream> {
  const port = await freePort();
  const args = ["--keep-in-foreground", `--port=${port}`, "--listen-address=127.0.0.1", "--bind-interfaces", "--no-resolv", "--no-hosts", "--user=root", "--pid-file=", "--log-facility=-", ...extra];
  const child = spawn("dnsmasq", args, { stdio: ["ignore", "ignore", "pipe"] });
  await new Promise<void>((resolve, reject) => {
    let output = "";
    child.stderr.on("data", (chunk: Buffer) => {
      output += chunk.toString("utf8");
      if (output.includes("started, version")) resolve();
    });
    child.once("exit", (code) => reject(new Error(`dnsmasq exited with ${code}: ${output}`)));
  });
  return { address: `127.0.0.1:${port}`, stop: () => terminate(child) };
}

/**
 * startScriptedUpstream runs a tiny dns-packet server on UDP and TCP of one loopback port: names under
 * `silent.test` get no reply, names under `nx.test` NXDOMAIN with an SOA (TTL 60, MINIMUM 30), names under
 * `tc.test` an empty truncated reply over UDP and three A records over TCP, every other name one A 198.51.100.7.
 */
export async function startScriptedUpstream(): Promise<TestUpstream> {
  const port = await freePort();
  const answer = (query: DecodedPacket, tcp: boolean): Buffer | undefined => {
    const question = query.questions?.[0];
    if (question === undefined || question.name.endsWith("silent.test")) return undefined;
    const a = (ip: string): Answer => ({ name: question.name, type: "A", class: "IN", ttl: 60, data: ip });
    if (question.name.endsWith("nx.test")) {
      const soa: Answer = { name: "nx.test", type: "SOA", class: "IN", ttl: 60, data: { mname: "ns.nx.test", rname: "hostmaster.nx.test", serial: 1, minimum: 30 } };
      return dnsPacket.encode({ id: query.id ?? 0, type: "response", flags: dnsPacket.RECURSION_AVAILABLE | 3, questions: [question], authorities: [soa] });
    }
    const truncated = question.name.endsWith("tc.test") && !tcp;
    const answers = question.name.endsWith("tc.test") ? (tcp ? [a("198.51.100.1"), a("198.51.100.2"), a("198.51.100.3")] : []) : [a("198.51.100.7")];
    return dnsPacket.encode({ id: query.id ?? 0, type: "response", flags: dnsPacket.RECURSION_AVAILABLE | (truncated ? dnsPacket.TRUNCATED_RESPONSE : 0), questions: [question], answers });
  };
  const udp = createSocket("udp4");
  udp.on("message", (msg, from) => {
    const reply = answer(dnsPacket.decode(msg), false);
    if (reply !== undefined) udp.send(reply, from.port, from.address);
  });
  const tcp = createServer((connection) => {
    connection.on("error", () => {});
    connection.on("data", (chunk: Buffer) => {
      const reply = answer(dnsPacket.decode(chunk.subarray(2)), true);
      if (reply === undefined) return;
      const length = Buffer.alloc(2);
      length.writeUInt16BE(reply.length);
      connection.end(Buffer.concat([length, reply]));
    });
  });
  await new Promise<void>((resolve) => udp.bind(port, "127.0.0.1", resolve));
  await new Promise<void>((resolve) => tcp.listen(port, "127.0.0.1", resolve));
  return {
    address: `127.0.0.1:${port}`,
    stop: async () => {
      udp.close();
      await new Promise<void>((resolve) => tcp.close(() => resolve()));
    },
  };
}

/** SwitchableUpstream is a UDP upstream that is dead (reads and never answers) until told to answer. */
export interface SwitchableUpstream extends TestUpstream {
  answering: boolean;
}

/** startSwitchableUpstream starts a dead UDP upstream on loopback; once `answering`, every name gets A 198.51.100.7. */
export async function startSwitchableUpstream(): Promise<SwitchableUpstream> {
  const udp = createSocket("udp4");
  await new Promise<void>((resolve) => udp.bind(0, "127.0.0.1", resolve));
  const upstream: SwitchableUpstream = {
    address: `127.0.0.1:${udp.address().port}`,
    answering: false,
    stop: () => new Promise<void>((resolve) => udp.close(() => resolve())),
  };
  udp.on("message", (msg, from) => {
    if (!upstream.answering) return;
    const query = dnsPacket.decode(msg);
    const question = query.questions?.[0];
    if (question === undefined) return;
    const answers: Answer[] = [{ name: question.name, type: "A", class: "IN", ttl: 60, data: "198.51.100.7" }];
    udp.send(dnsPacket.encode({ id: query.id ?? 0, type: "response", flags: dnsPacket.RECURSION_AVAILABLE, questions: [question], answers }), from.port, from.address);
  });
  return upstream;
}
