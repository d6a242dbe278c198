import { createSocket, type Socket } from "node:dgram";
import { connect } from "node:net";
import dnsPacket from "dns-packet";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { dig } from "./dig.js";
import { clusterIpService, headlessService, putAll } from "./fixture.js";
import { startCluster, type Cluster } from "./harness.js";

let cluster: Cluster;
let socket: Socket;

beforeAll(async () => {
  cluster = await startCluster(["--no-rec"]);
  const endpoints = Array.from({ length: 200 }, (_, i) => ({ ip: `10.244.${Math.floor(i / 250)}.${(i % 250) + 1}` }));
  const revision = await putAll(cluster.client, [...headlessService("default", "big", endpoints), ...clusterIpService("default", "kubernetes", "10.0.0.1")]);
  await cluster.skydns.waitForRevision(revision);
  socket = createSocket("udp4");
  await new Promise<void>((resolve) => socket.bind(0, "127.0.0.1", resolve));
});

afterAll(async () => {
  socket?.close();
  await cluster?.stop();
});

// exchange sends one datagram and resolves with the reply that carries the same first two bytes (the ID).
function exchange(packet: Buffer): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("no reply within 5 s")), 5000);
    const onMessage = (reply: Buffer): void => {
      if (reply.length < 2 || reply[0] !== packet[0] || reply[1] !== packet[1]) return;
      clearTimeout(timer);
      socket.off("message", onMessage);
      resolve(reply);
    };
    socket.on("message", onMessage);
    socket.send(packet, cluster.port, "127.0.0.1");
  });
}

const query = (name: string, id: number): Buffer => dnsPacket.encode({ id, flags: 0, questions: [{ name, type: "A", class: "IN" }] });

describe("size limits", () => {
  it("sets TC on UDP for a headless service with 200 endpoints, and answers all of them over TCP", async () => {
    const udp = await dig(cluster.port, ["+noedns", "+ignore", "big.default.svc.cluster.local", "A"]);
    expect(udp.flags).toContain("tc");
    expect(udp.answer.length).toBeLessThan(200);
    const tcp = await dig(cluster.port, ["+tcp", "big.default.svc.cluster.local", "A"]);
    expect(tcp.flags).not.toContain("tc");
    expect(tcp.answer).toHaveLength(200);
    const retried = await dig(cluster.port, ["big.default.svc.cluster.local", "A"]);
    expect(retried.answer).toHaveLength(200);
  });

  it("fits the answer to the client's EDNS size", async () => {
    const result = await dig(cluster.port, ["+bufsize=4096", "+ignore", "big.default.svc.cluster.local", "A"]);
    expect(result.flags).not.toContain("tc");
    expect(result.answer).toHaveLength(200);
  });
});

describe("malformed and unsupported queries", () => {
  const cases = [
    { title: "a header with one question and no question bytes", packet: Buffer.from("abcd0000000100000000000000".slice(0, 24), "hex"), rcode: 1 },
    { title: "two questions", packet: Buffer.concat([query("a.cluster.local", 0x1234).subarray(0, 4), Buffer.from([0, 2]), query("a.cluster.local", 0x1234).subarray(6), query("a.cluster.local", 0).subarray(12)]), rcode: 1 },
    { title: "a question cut short", packet: query("kubernetes.default.svc.cluster.local", 0x2233).subarray(0, 30), rcode: 1 },
    { title: "opcode STATUS", packet: (() => { const p = query("a.cluster.local", 0x3344); p[2] = 2 << 3; return p; })(), rcode: 4 },
    { title: "opcode NOTIFY", packet: (() => { const p = query("a.cluster.local", 0x4455); p[2] = 4 << 3; return p; })(), rcode: 4 },
  ];
  it.each(cases)("answers $title with rcode $rcode and the query's ID", async ({ packet, rcode }) => {
    const reply = await exchange(packet);
    expect(reply.readUInt16BE(0)).toBe(packet.readUInt16BE(0));
    expect(reply[2]! & 0x80).toBe(0x80);
    expect(reply[3]! & 0x0f).toBe(rcode);
  });

  it("answers BADVERS to an EDNS version it does not speak", async () => {
    expect((await dig(cluster.port, ["+edns=1", "+noednsnegotiation", "kubernetes.default.svc.cluster.local"])).status).toBe("BADVERS");
  });

  it("refuses zone transfers", async () => {
    expect((await dig(cluster.port, ["+tcp", "cluster.local", "AXFR"])).raw).toMatch(/Transfer failed|REFUSED/);
  });

  it("survives thousands of random and truncated packets, then still answers", async () => {
    let seed = 7;
    const random = (n: number): number => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      return seed % n;
    };
    const valid = [query("kubernetes.default.svc.cluster.local", 1), query("nope.cluster.local", 2), dnsPacket.encode({ id: 3, questions: [{ name: "x.cluster.local", type: "SRV" }], additionals: [{ name: ".", type: "OPT", udpPayloadSize: 4096, flags: 0, options: [] } as never] })];
    for (let i = 0; i < 3000; i++) {
      const base = valid[i % valid.length]!;
      let packet: Buffer;
      if (i % 3 === 0) packet = Buffer.from(Array.from({ length: random(300) }, () => random(256)));
      else if (i % 3 === 1) packet = Buffer.from(base.subarray(0, random(base.length + 1)));
      else {
        packet = Buffer.from(base);
        for (let flips = 1 + random(4); flips > 0; flips--) packet[random(packet.length)] = random(256);
      }
      if (packet.length >= 2) packet.writeUInt16BE(0xfff0, 0); // never the ID of the probe below
      socket.send(packet, cluster.port, "127.0.0.1");
    }
    for (let i = 0; i < 50; i++) {
      const tcp = connect(cluster.port, "127.0.0.1");
      tcp.on("error", () => {});
      tcp.end(Buffer.from(Array.from({ length: random(200) }, () => random(256))));
    }
    const reply = dnsPacket.decode(await exchange(query("kubernetes.default.svc.cluster.local", 0x7777)));
    expect(reply.answers?.[0]).toMatchObject({ type: "A", data: "10.0.0.1" });
    expect((await dig(cluster.port, ["+tcp", "kubernetes.default.svc.cluster.local"])).answer).toHaveLength(1);
  });
});
