import { createSocket, type Socket } from "node:dgram";
import dnsPacket, { type DecodedPacket } from "dns-packet";
import { onStop } from "./cleanup.js";

/** Reply is a decoded answer and when it arrived (performance.now()). */
export interface Reply {
  readonly packet: DecodedPacket;
  /** The response code by name (NOERROR, NXDOMAIN, ...), as dns-packet decodes it. */
  readonly rcode: string;
  readonly at: number;
}

/** DnsClient asks one server over one UDP socket, many questions in flight, each bounded by a timeout. */
export class DnsClient {
  private readonly pending = new Map<number, (reply: Reply | undefined) => void>();
  private nextId = 1;

  private constructor(
    private readonly socket: Socket,
    private readonly host: string,
    private readonly port: number,
    readonly close: () => Promise<void>,
  ) {
    socket.on("message", (message) => {
      const id = message.readUInt16BE(0);
      const waiter = this.pending.get(id);
      if (waiter === undefined) return;
      this.pending.delete(id);
      const at = performance.now();
      const packet = dnsPacket.decode(message);
      waiter({ packet, rcode: (packet as { rcode?: string }).rcode ?? "NOERROR", at });
    });
  }

  /** open binds a socket on 127.0.0.1 that stopAll closes if the caller does not. */
  static async open(host: string, port: number): Promise<DnsClient> {
    const socket = createSocket("udp4");
    await new Promise<void>((resolve) => socket.bind(0, "127.0.0.1", resolve));
    const close = onStop(() => new Promise<void>((resolve) => socket.close(() => resolve())));
    return new DnsClient(socket, host, port, close);
  }

  /** ask sends one question and resolves with the reply, or undefined after timeoutMs. */
  ask(name: string, type: "A" | "SRV", timeoutMs = 1000): Promise<Reply | undefined> {
    let id = this.nextId++ & 0xffff;
    for (let tries = 0; this.pending.has(id) && tries < 0x10000; tries++) id = this.nextId++ & 0xffff;
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        resolve(undefined);
      }, timeoutMs);
      this.pending.set(id, (reply) => {
        clearTimeout(timer);
        resolve(reply);
      });
      this.socket.send(dnsPacket.encode({ id, flags: dnsPacket.RECURSION_DESIRED, questions: [{ name, type, class: "IN" }] }), this.port, this.host);
    });
  }
}

/** rdataOf lists an answer's A addresses (or SRV targets) as text. */
export function rdataOf(packet: DecodedPacket): string[] {
  return (packet.answers ?? []).map((answer) => {
    if (answer.type === "A") return answer.data;
    if (answer.type === "SRV") return answer.data.target;
    return "";
  });
}
