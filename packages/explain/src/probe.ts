import { createSocket, type Socket } from "node:dgram";
import { isIPv6 } from "node:net";
import { type Answer, decode, encode, type RecordType, RECURSION_DESIRED } from "dns-packet";
import type { Reply } from "./client.js";

/** DnsAddress is where the pod's nameserver listens. */
export interface DnsAddress {
  readonly host: string;
  readonly port: number;
}

/** ProbeRecord is one resource record of a reply, its data as presentation text. */
export interface ProbeRecord {
  readonly name: string;
  readonly type: string;
  readonly ttl: number;
  readonly data: string;
}

/** ProbeReply is one reply as explain shows it: rcode, the AA bit, the answer and authority records, and its time. */
export interface ProbeReply extends Reply {
  readonly authoritative: boolean;
  readonly truncated: boolean;
  readonly answers: readonly ProbeRecord[];
  readonly authority: readonly ProbeRecord[];
  readonly elapsedMs: number;
}

/** UnreachableError says the nameserver did not answer a question in time (or the socket failed). */
export class UnreachableError extends Error {
  override readonly name = "UnreachableError";
}

// RFC 1035 section 4.1.1: the RCODE values a stub meets; others are shown by number.
const RCODES = ["NOERROR", "FORMERR", "SERVFAIL", "NXDOMAIN", "NOTIMP", "REFUSED"];

/**
 * StubClient asks one nameserver questions over UDP from one socket, one at a time, as a pod's stub resolver does
 * (RD set, no EDNS, as glibc sends them), and gives each reply decoded.
 */
export class StubClient {
  private readonly socket: Socket;
  private nextId = Math.floor(Math.random() * 0xffff);

  constructor(
    private readonly server: DnsAddress,
    private readonly timeoutMs: number,
  ) {
    this.socket = createSocket(isIPv6(server.host) ? "udp6" : "udp4");
    this.socket.unref();
  }

  /** ask sends one question (a lowercase FQDN with its trailing dot) and resolves with the reply to it. */
  ask(name: string, type: string): Promise<ProbeReply> {
    const id = (this.nextId = (this.nextId + 1) & 0xffff);
    const query = encode({ type: "query", id, flags: RECURSION_DESIRED, questions: [{ name: name.replace(/\.$/, ""), type: type as RecordType, class: "IN" }] });
    const started = performance.now();
    return new Promise((resolve, reject) => {
      const where = `${this.server.host}:${this.server.port}`;
      const timer = setTimeout(() => finish(new UnreachableError(`no reply from ${where} within ${this.timeoutMs} ms (${name} ${type})`)), this.timeoutMs);
      const onMessage = (message: Buffer, from: { port: number }): void => {
        if (from.port !== this.server.port || message.length < 2 || message.readUInt16BE(0) !== id) return;
        try {
          finish(undefined, toReply(message, performance.now() - started));
        } catch (error) {
          finish(new UnreachableError(`a reply from ${where} that does not decode: ${String(error)}`));
        }
      };
      const onError = (error: Error): void => finish(new UnreachableError(`cannot ask ${where}: ${error.message}`));
      const finish = (error: Error | undefined, reply?: ProbeReply): void => {
        clearTimeout(timer);
        this.socket.off("message", onMessage);
        this.socket.off("error", onError);
        if (reply !== undefined) resolve(reply);
        else reject(error ?? new UnreachableError(`no reply from ${where}`));
      };
      this.socket.on("message", onMessage);
      this.socket.on("error", onError);
      this.socket.send(query, this.server.port, this.server.host, (error) => {
        if (error) onError(error);
      });
    });
  }

  /** close releases the socket. */
  close(): void {
    this.socket.close();
  }
}

function toReply(message: Buffer, elapsedMs: number): ProbeReply {
  const packet = decode(message);
  const code = (packet.flags ?? 0) & 0xf;
  const answers = (packet.answers ?? []).map(toRecord);
  return {
    rcode: RCODES[code] ?? `RCODE${code}`,
    answerCount: answers.length,
    authoritative: packet.flag_aa,
    truncated: packet.flag_tc,
    answers,
    authority: (packet.authorities ?? []).map(toRecord),
    elapsedMs,
  };
}

function toRecord(answer: Answer): ProbeRecord {
  return { name: `${answer.name.toLowerCase()}.`, type: answer.type, ttl: "ttl" in answer ? (answer.ttl ?? 0) : 0, data: dataText(answer) };
}

// The record's data as dig prints it, for the types skydns answers.
function dataText(answer: Answer): string {
  const data: unknown = "data" in answer ? answer.data : undefined;
  if (typeof data === "string") return ["CNAME", "PTR", "NS"].includes(answer.type) ? `${data}.` : data;
  if (Array.isArray(data)) return data.map((part) => JSON.stringify(Buffer.isBuffer(part) ? part.toString("utf8") : String(part))).join(" ");
  if (typeof data === "object" && data !== null) {
    const fields = data as Record<string, unknown>;
    if (answer.type === "SRV") return `${String(fields.priority)} ${String(fields.weight)} ${String(fields.port)} ${String(fields.target)}.`;
    if (answer.type === "SOA") return `${String(fields.mname)}. ${String(fields.rname)}. ${String(fields.serial)}`;
    if (answer.type === "MX") return `${String(fields.preference)} ${String(fields.exchange)}.`;
  }
  return Buffer.isBuffer(data) ? data.toString("hex") : "";
}
