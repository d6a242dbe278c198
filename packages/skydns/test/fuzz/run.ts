import { createSocket, type Socket } from "node:dgram";
import { connect } from "node:net";
import dnsPacket from "dns-packet";
import { expectationOf, violationOf } from "./check.js";
import { corpus } from "./corpus.js";

/** FuzzReport is what a fuzz run found: cases by kind, replies by rcode, every violation, and the valid probes. */
export interface FuzzReport {
  cases: number;
  replied: number;
  dropped: number;
  readonly rcodes: Record<string, number>;
  readonly kinds: Record<string, number>;
  readonly violations: string[];
  probes: number;
  probesRight: number;
  seconds: number;
}

/** Probe is a valid query asked between the fuzz cases, and the one answer it must get. */
export interface Probe {
  readonly name: string;
  readonly address: string;
}

const SOCKETS = 32;
const REPLY_MS = 2000;
const MAX_VIOLATIONS = 50;

/**
 * fuzzUdp sends count cases from seed to a DNS server over UDP, SOCKETS at a time, each socket with one case in
 * flight: a case the server must answer waits for its reply (a missing one within REPLY_MS is a violation), one it
 * must drop is sent from a socket of its own whose every reply is a violation. Every probeEvery cases a valid query
 * checks that the server still answers right. Bounded: count cases, each at most REPLY_MS.
 */
export async function fuzzUdp(host: string, port: number, seed: number, count: number, probe: Probe, probeEvery = 1000): Promise<FuzzReport> {
  const started = Date.now();
  const report: FuzzReport = { cases: 0, replied: 0, dropped: 0, rcodes: {}, kinds: {}, violations: [], probes: 0, probesRight: 0, seconds: 0 };
  const violation = (text: string): void => void (report.violations.length < MAX_VIOLATIONS && report.violations.push(text));
  const drops = await bound();
  drops.on("message", (reply) => violation(`replied (${reply.length} bytes) to a message it should drop`));
  const sockets = await Promise.all(Array.from({ length: SOCKETS }, bound));
  const cases = corpus(seed, count);
  let index = 0;
  const exchange = (socket: Socket, bytes: Buffer): Promise<Buffer | undefined> =>
    new Promise((resolve) => {
      const timer = setTimeout(() => {
        socket.removeAllListeners("message");
        resolve(undefined);
      }, REPLY_MS);
      socket.once("message", (reply) => {
        clearTimeout(timer);
        resolve(reply);
      });
      socket.send(bytes, port, host);
    });
  const worker = async (socket: Socket): Promise<void> => {
    for (let next = cases.next(); !next.done; next = cases.next()) {
      const { kind, bytes } = next.value;
      const n = index++;
      report.cases++;
      report.kinds[kind] = (report.kinds[kind] ?? 0) + 1;
      const expected = expectationOf(bytes);
      if (!expected.answered) {
        report.dropped++;
        drops.send(bytes, port, host);
      } else {
        const reply = await exchange(socket, bytes);
        if (reply === undefined) violation(`no reply to a ${kind} case (${bytes.toString("hex").slice(0, 80)})`);
        else {
          report.replied++;
          const rcode = String(reply.length >= 4 ? reply[3]! & 0x0f : -1);
          report.rcodes[rcode] = (report.rcodes[rcode] ?? 0) + 1;
          const wrong = violationOf(expected, reply);
          if (wrong !== undefined) violation(`${wrong} (${kind}: ${bytes.toString("hex").slice(0, 80)})`);
        }
      }
      if (n % probeEvery === 0) await askProbe(socket);
    }
  };
  const askProbe = async (socket: Socket): Promise<void> => {
    report.probes++;
    const reply = await exchange(socket, dnsPacket.encode({ id: 0x7777, questions: [{ name: probe.name, type: "A", class: "IN" }] }));
    const answers = reply === undefined ? [] : (dnsPacket.decode(reply).answers ?? []);
    if (answers.length === 1 && answers[0]?.type === "A" && answers[0].data === probe.address) report.probesRight++;
    else violation(`the probe ${probe.name} got ${reply === undefined ? "no reply" : JSON.stringify(answers)}`);
  };
  try {
    await Promise.all(sockets.map(worker));
    await askProbe(sockets[0]!);
  } finally {
    for (const socket of [drops, ...sockets]) socket.close();
  }
  report.seconds = (Date.now() - started) / 1000;
  return report;
}

function bound(): Promise<Socket> {
  return new Promise((resolve) => {
    const socket = createSocket("udp4");
    socket.bind(0, "127.0.0.1", () => resolve(socket));
  });
}

/** TcpLie is one way a TCP client can misuse the length prefix (RFC 7766 section 8) or the connection. */
export type TcpLie = "longer" | "shorter" | "zero" | "65535" | "half-open" | "slow" | "pipelined";

/**
 * tcpLie opens one connection and misuses it as named, then closes it; it resolves with the valid replies the
 * connection got back (pipelined queries each get one; the others get none or FORMERR-style headers).
 */
export function tcpLie(host: string, port: number, lie: TcpLie, query: Buffer, holdMs = 200): Promise<number> {
  return new Promise((resolve) => {
    const socket = connect(port, host);
    let replies = 0;
    let buffered = Buffer.alloc(0);
    const prefix = (n: number): Buffer => Buffer.from([n >> 8, n & 0xff]);
    const frame = (bytes: Buffer): Buffer => Buffer.concat([prefix(bytes.length), bytes]);
    socket.on("data", (chunk: Buffer) => {
      buffered = Buffer.concat([buffered, chunk]);
      while (buffered.length >= 2 && buffered.length >= 2 + buffered.readUInt16BE(0)) {
        replies++;
        buffered = buffered.subarray(2 + buffered.readUInt16BE(0));
      }
    });
    socket.on("error", () => undefined);
    socket.on("close", () => resolve(replies));
    socket.on("connect", () => {
      switch (lie) {
        case "longer":
          socket.write(Buffer.concat([prefix(query.length + 20), query]));
          break;
        case "shorter":
          socket.write(Buffer.concat([prefix(Math.max(0, query.length - 5)), query]));
          break;
        case "zero":
          socket.write(Buffer.concat([prefix(0), frame(query)]));
          break;
        case "65535":
          socket.write(Buffer.concat([prefix(65535), query]));
          break;
        case "half-open":
          socket.end(Buffer.concat([prefix(query.length), query.subarray(0, 5)]));
          return;
        case "slow":
          socket.write(prefix(query.length).subarray(0, 1));
          break;
        case "pipelined":
          socket.write(Buffer.concat(Array.from({ length: 20 }, () => frame(query))));
          break;
      }
      setTimeout(() => socket.destroy(), holdMs);
    });
  });
}
