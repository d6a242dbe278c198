import { createSocket, type Socket } from "node:dgram";
import { connect } from "node:net";
import dnsPacket from "dns-packet";

/** DnsTarget is where skydns answers, and how long one try may take. */
export interface DnsTarget {
  readonly host: string;
  readonly port: number;
  readonly tryTimeoutMs: number;
}

/** TRIES is how often a question without a reply is sent again over UDP before it counts as unanswered. */
export const TRIES = 3;

/** EDNS_UDP_SIZE is the UDP payload we offer (RFC 6891 section 6.2.5), the size skydns answers up to. */
const EDNS_UDP_SIZE = 1232;

/**
 * DnsClient asks one server over one UDP socket, many questions at once (the caller bounds how many), and asks
 * again over TCP when a reply comes back truncated (RFC 1035 section 4.2.1; RFC 7766).
 */
export class DnsClient {
  private readonly pending = new Map<number, (reply: Buffer | undefined) => void>();
  private nextId = 1;

  private constructor(
    private readonly socket: Socket,
    private readonly target: DnsTarget,
  ) {
    socket.on("message", (reply) => {
      if (reply.length < 2) return;
      const waiter = this.pending.get(reply.readUInt16BE(0));
      waiter?.(reply);
    });
  }

  /** open binds the client's UDP socket on an ephemeral port of the family of the target. */
  static async open(target: DnsTarget): Promise<DnsClient> {
    const socket = createSocket(target.host.includes(":") ? "udp6" : "udp4");
    await new Promise<void>((resolve, reject) => {
      socket.once("error", reject);
      socket.bind(0, () => {
        socket.off("error", reject);
        resolve();
      });
    });
    return new DnsClient(socket, target);
  }

  /** ask returns the decoded reply to one question, or undefined when none came after TRIES tries. */
  async ask(name: string, type: dnsPacket.RecordType): Promise<dnsPacket.DecodedPacket | undefined> {
    for (let attempt = 0; attempt < TRIES; attempt++) {
      const reply = await this.once(name, type);
      if (reply === undefined) continue;
      const decoded = dnsPacket.decode(reply);
      if ((decoded.flags ?? 0) & dnsPacket.TRUNCATED_RESPONSE) return this.askTcp(name, type);
      return decoded;
    }
    return undefined;
  }

  /** close releases the socket; questions still waiting end unanswered. */
  close(): void {
    for (const waiter of this.pending.values()) waiter(undefined);
    this.socket.close();
  }

  private once(name: string, type: dnsPacket.RecordType): Promise<Buffer | undefined> {
    let id = this.nextId;
    while (this.pending.has(id)) id = (id % 0xffff) + 1;
    this.nextId = (id % 0xffff) + 1;
    return new Promise((resolve) => {
      const timer = setTimeout(() => finish(undefined), this.target.tryTimeoutMs);
      const finish = (reply: Buffer | undefined): void => {
        clearTimeout(timer);
        this.pending.delete(id);
        resolve(reply);
      };
      this.pending.set(id, finish);
      this.socket.send(queryFor(id, name, type), this.target.port, this.target.host, (error) => {
        if (error) finish(undefined);
      });
    });
  }

  private askTcp(name: string, type: dnsPacket.RecordType): Promise<dnsPacket.DecodedPacket | undefined> {
    return new Promise((resolve) => {
      const socket = connect({ host: this.target.host, port: this.target.port });
      let received = Buffer.alloc(0);
      const finish = (reply: dnsPacket.DecodedPacket | undefined): void => {
        socket.destroy();
        resolve(reply);
      };
      socket.setTimeout(this.target.tryTimeoutMs * TRIES, () => finish(undefined));
      socket.on("error", () => finish(undefined));
      socket.on("close", () => finish(undefined));
      socket.on("connect", () => {
        const query = queryFor(1, name, type);
        const length = Buffer.alloc(2);
        length.writeUInt16BE(query.length);
        socket.write(Buffer.concat([length, query]));
      });
      socket.on("data", (chunk: Buffer) => {
        received = Buffer.concat([received, chunk]);
        if (received.length >= 2 && received.length >= 2 + received.readUInt16BE(0)) finish(dnsPacket.decode(received.subarray(2, 2 + received.readUInt16BE(0))));
      });
    });
  }
}

function queryFor(id: number, name: string, type: dnsPacket.RecordType): Buffer {
  return dnsPacket.encode({
    id,
    type: "query",
    flags: dnsPacket.RECURSION_DESIRED,
    questions: [{ name, type, class: "IN" }],
    additionals: [{ type: "OPT", name: ".", udpPayloadSize: EDNS_UDP_SIZE, extendedRcode: 0, ednsVersion: 0, flags: 0, flag_do: false, options: [] }],
  });
}
