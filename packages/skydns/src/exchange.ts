import { createSocket } from "node:dgram";
import { connect, isIPv6 } from "node:net";
import type { HostPort } from "@kube-dns/flagvalues";

/** MAX_TCP_REPLY bounds what we read from an upstream over TCP (RFC 1035 section 4.2.2). */
const MAX_TCP_REPLY = 65535;

/**
 * exchangeUdp sends one query to an upstream from a fresh socket (a random source port per query) and
 * resolves with the first datagram from that upstream that accept() takes, or rejects on timeout.
 */
export function exchangeUdp(upstream: HostPort, query: Buffer, timeoutMs: number, accept: (reply: Buffer) => boolean): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const socket = createSocket(isIPv6(upstream.host) ? "udp6" : "udp4");
    const timer = setTimeout(() => finish(new Error(`no reply from ${upstream.host}:${upstream.port} within ${timeoutMs} ms`)), timeoutMs);
    const finish = (error: Error | undefined, reply?: Buffer): void => {
      clearTimeout(timer);
      socket.removeAllListeners("message");
      socket.close();
      if (error !== undefined) reject(error);
      else resolve(reply!);
    };
    socket.on("error", (error) => finish(error));
    socket.on("message", (reply, from) => {
      if (from.port === upstream.port && accept(reply)) finish(undefined, reply);
    });
    socket.send(query, upstream.port, upstream.host, (error) => {
      if (error) finish(error);
    });
  });
}

/** exchangeTcp sends one length-prefixed query over a new TCP connection and resolves with the reply. */
export function exchangeTcp(upstream: HostPort, query: Buffer, timeoutMs: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: upstream.host, port: upstream.port });
    let received = Buffer.alloc(0);
    const timer = setTimeout(() => finish(new Error(`no TCP reply from ${upstream.host}:${upstream.port} within ${timeoutMs} ms`)), timeoutMs);
    const finish = (error: Error | undefined, reply?: Buffer): void => {
      clearTimeout(timer);
      socket.destroy();
      if (error !== undefined) reject(error);
      else resolve(reply!);
    };
    socket.on("error", (error) => finish(error));
    socket.on("connect", () => {
      const framed = Buffer.allocUnsafe(query.length + 2);
      framed.writeUInt16BE(query.length, 0);
      query.copy(framed, 2);
      socket.write(framed);
    });
    socket.on("data", (chunk: Buffer) => {
      received = Buffer.concat([received, chunk]);
      if (received.length > MAX_TCP_REPLY + 2) return finish(new Error("TCP reply too long"));
      if (received.length >= 2 && received.length >= received.readUInt16BE(0) + 2) finish(undefined, received.subarray(2, received.readUInt16BE(0) + 2));
    });
    socket.on("end", () => finish(new Error("upstream closed the TCP connection before replying")));
  });
}
