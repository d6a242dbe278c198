import { createSocket, type Socket } from "node:dgram";
import { once } from "node:events";
import type { AddressInfo } from "node:net";
import * as dnsPacket from "dns-packet";
import { afterEach, describe, expect, it, vi } from "vitest";
import { type ExecHealthz, startExecHealthz } from "../src/index.js";
import { get } from "./helpers.js";

const NAME = "kubernetes.default.svc.cluster.local";

/** startDns answers A for NAME with 10.0.0.1 (data, never dialled) and NOERROR without answers for anything else. */
async function startDns(): Promise<Socket> {
  const socket = createSocket("udp4");
  socket.on("message", (message, peer) => {
    const query = dnsPacket.decode(message);
    const question = query.questions?.[0];
    const answers: dnsPacket.Answer[] =
      question?.type === "A" && question.name.toLowerCase() === NAME ? [{ type: "A", name: question.name, ttl: 30, data: "10.0.0.1" }] : [];
    const reply = dnsPacket.encode({ type: "response", id: query.id, flags: dnsPacket.RECURSION_DESIRED, questions: query.questions ?? [], answers });
    socket.send(reply, peer.port, peer.address);
  });
  socket.bind(0, "127.0.0.1");
  await once(socket, "listening");
  return socket;
}

describe("exec-healthz with a real nslookup", () => {
  let healthz: ExecHealthz | undefined;
  afterEach(async () => {
    await healthz?.stop();
  });

  it("answers 200 while the DNS server answers and 503 once it is stopped", async () => {
    const dns = await startDns();
    const dnsPort = (dns.address() as AddressInfo).port;
    healthz = await startExecHealthz({ cmd: `nslookup -port=${dnsPort} ${NAME} 127.0.0.1`, periodMs: 100, timeoutMs: 3000, port: 0, address: "127.0.0.1" });
    const { url } = healthz;

    const healthy = await vi.waitFor(async () => {
      const answer = await get(`${url}/healthz`);
      if (!answer.body.startsWith("ok\n")) throw new Error(`no 200 from nslookup yet: ${answer.body}`);
      return answer;
    }, { timeout: 10_000, interval: 25 });
    expect(healthy.status).toBe(200);
    expect(healthy.body).toContain("Address: 10.0.0.1");

    dns.close();
    const unhealthy = await vi.waitFor(async () => {
      const answer = await get(`${url}/healthz`);
      if (answer.status !== 503) throw new Error(`no 503 once DNS is gone yet: ${answer.status}`);
      return answer;
    }, { timeout: 10_000, interval: 25 });
    expect(unhealthy.body).toMatch(/^Healthz probe error: /);
  });
});
