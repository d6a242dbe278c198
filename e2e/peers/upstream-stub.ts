import { createSocket } from "node:dgram";
import { createServer, type Socket } from "node:net";
import dnsPacket, { type Answer, type DecodedPacket } from "dns-packet";

/** StubRecords maps `name type` (lowercase name, no trailing dot) to the records an upstream answers. */
export type StubRecords = Readonly<Record<string, readonly Answer[]>>;

/** UpstreamStub is a DNS server on a loopback port that plays the internet for skydns's forwarder. */
export interface UpstreamStub {
  readonly address: string;
  stop(): Promise<void>;
}

/**
 * startUpstreamStub answers from records over UDP and TCP on one free loopback port; a name it does not hold is
 * NXDOMAIN with no authority. Names in truncated get an empty reply with TC over UDP and their records over TCP, as
 * the CoreDNS test's Upstub does for its truncated lookup.
 */
export async function startUpstreamStub(records: StubRecords, truncated: readonly string[] = []): Promise<UpstreamStub> {
  const answer = (query: DecodedPacket, tcp: boolean): Buffer => {
    const question = query.questions![0]!;
    const name = question.name.toLowerCase().replace(/\.$/, "");
    const answers = records[`${name} ${question.type}`];
    const tc = !tcp && truncated.includes(name);
    const held = Object.keys(records).some((key) => key.startsWith(`${name} `));
    const flags = dnsPacket.RECURSION_AVAILABLE | (tc ? dnsPacket.TRUNCATED_RESPONSE : 0) | (held ? 0 : 3);
    return dnsPacket.encode({ type: "response", id: query.id ?? 0, flags, questions: [question], answers: tc ? [] : [...(answers ?? [])] });
  };
  const udp = createSocket("udp4");
  udp.on("message", (msg, from) => udp.send(answer(dnsPacket.decode(msg), false), from.port, from.address));
  await new Promise<void>((resolve) => udp.bind(0, "127.0.0.1", resolve));
  const { port } = udp.address();
  const connections = new Set<Socket>();
  const tcp = createServer((socket) => {
    connections.add(socket);
    socket.once("close", () => connections.delete(socket));
    let pending = Buffer.alloc(0);
    socket.on("data", (chunk: Buffer) => {
      pending = Buffer.concat([pending, chunk]);
      while (pending.length >= 2 && pending.length >= 2 + pending.readUInt16BE(0)) {
        const reply = answer(dnsPacket.decode(pending.subarray(2, 2 + pending.readUInt16BE(0))), true);
        pending = pending.subarray(2 + pending.readUInt16BE(0));
        const framed = Buffer.alloc(2 + reply.length);
        framed.writeUInt16BE(reply.length, 0);
        reply.copy(framed, 2);
        socket.write(framed);
      }
    });
  });
  await new Promise<void>((resolve) => tcp.listen(port, "127.0.0.1", resolve));
  return {
    address: `127.0.0.1:${port}`,
    stop: async () => {
      for (const socket of connections) socket.destroy();
      await Promise.all([new Promise<void>((resolve) => udp.close(() => resolve())), new Promise<void>((resolve) => tcp.close(() => resolve()))]);
    },
  };
}
