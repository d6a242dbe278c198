import { createSocket, type RemoteInfo, type Socket } from "node:dgram";
import { createServer, isIPv6, type Server, type Socket as TcpSocket } from "node:net";
import type { HostPort } from "@kube-dns/flagvalues";
import type { Handled, Handler } from "./handler.js";
import { PROTO_TCP, PROTO_UDP, type Proto } from "./stats.js";

/** Observer hears of one answered query (and the query itself) to whoever counts and logs. */
export type Observer = (handled: Handled, proto: Proto, seconds: number, msg: Buffer) => void;

/** Listeners are the bound UDP and TCP servers. */
export interface Listeners {
  readonly udpAddress: HostPort;
  readonly tcpAddress: HostPort;
  close(): Promise<void>;
}

/** ListenOptions wires the sockets to the query paths. */
export interface ListenOptions {
  readonly addr: HostPort;
  readonly handler: Handler;
  readonly observe: Observer;
  readonly onError: (error: Error) => void;
}

const TCP_IDLE_MS = 10_000; // RFC 7766 section 6.2.3 suggests seconds, not minutes
const TCP_MAX_CONNECTIONS = 1000;
const BIND_ATTEMPTS = 5;
const openConnections = new WeakMap<Server, Set<TcpSocket>>();

/**
 * listen binds UDP and TCP on one address (port 0: the kernel picks one for UDP and TCP takes the same). Every
 * query, UDP or TCP (RFC 7766: length-prefixed, pipelined), goes to the handler's one entry point, and is timed
 * and observed once its reply is sent. This is the only place that writes replies.
 */
export async function listen(options: ListenOptions): Promise<Listeners> {
  for (let attempt = 1; ; attempt++) {
    const udp = await bindUdp(options);
    const port = udp.address().port;
    try {
      const tcp = await bindTcp(options, port);
      return {
        udpAddress: { host: options.addr.host, port },
        tcpAddress: { host: options.addr.host, port },
        close: () => Promise.all([new Promise<void>((resolve) => udp.close(() => resolve())), closeTcp(tcp)]).then(() => undefined),
      };
    } catch (error) {
      udp.close();
      if (options.addr.port !== 0 || attempt >= BIND_ATTEMPTS) throw error;
    }
  }
}

function bindUdp(options: ListenOptions): Promise<Socket> {
  const { addr, handler, observe, onError } = options;
  const socket = createSocket({ type: isIPv6(addr.host) ? "udp6" : "udp4", recvBufferSize: 4 << 20, sendBufferSize: 4 << 20 });
  const failed = (error: unknown): void => onError(error as Error);
  socket.on("message", (msg, from) => {
    const started = performance.now();
    const answered = handler.answer(msg, PROTO_UDP);
    // Most queries are answered at once: no closure for them; a forwarded one waits for its upstream.
    if (answered instanceof Promise) answered.then((handled) => replyUdp(socket, observe, handled, from, started, msg), failed);
    else replyUdp(socket, observe, answered, from, started, msg);
  });
  return new Promise((resolve, reject) => {
    socket.once("error", reject);
    socket.bind(addr.port, addr.host, () => {
      socket.off("error", reject);
      socket.on("error", onError);
      resolve(socket);
    });
  });
}

function replyUdp(socket: Socket, observe: Observer, handled: Handled, from: RemoteInfo, started: number, msg: Buffer): void {
  if (handled.bytes !== undefined) socket.send(handled.bytes, from.port, from.address);
  observe(handled, PROTO_UDP, (performance.now() - started) / 1000, msg);
}

function bindTcp(options: ListenOptions, port: number): Promise<Server> {
  const connections = new Set<TcpSocket>();
  const server = createServer((connection) => {
    connections.add(connection);
    connection.once("close", () => connections.delete(connection));
    serveConnection(connection, options);
  });
  openConnections.set(server, connections);
  server.maxConnections = TCP_MAX_CONNECTIONS;
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, options.addr.host, () => {
      server.off("error", reject);
      server.on("error", options.onError);
      resolve(server);
    });
  });
}

function serveConnection(connection: TcpSocket, options: ListenOptions): void {
  let pending: Buffer = Buffer.alloc(0);
  connection.setTimeout(TCP_IDLE_MS, () => connection.destroy());
  connection.on("error", () => connection.destroy());
  connection.on("data", (chunk: Buffer) => {
    pending = pending.length === 0 ? chunk : Buffer.concat([pending, chunk]);
    while (pending.length >= 2 && pending.length >= 2 + pending.readUInt16BE(0)) {
      const msg = Buffer.from(pending.subarray(2, 2 + pending.readUInt16BE(0)));
      pending = pending.subarray(2 + msg.length);
      const started = performance.now();
      const reply = (handled: Handled): void => {
        if (handled.bytes !== undefined && !connection.destroyed) {
          const framed = Buffer.allocUnsafe(handled.bytes.length + 2);
          framed.writeUInt16BE(handled.bytes.length, 0);
          handled.bytes.copy(framed, 2);
          connection.write(framed);
        }
        options.observe(handled, PROTO_TCP, (performance.now() - started) / 1000, msg);
      };
      const answered = options.handler.answer(msg, PROTO_TCP);
      if (answered instanceof Promise) answered.then(reply, (error: unknown) => options.onError(error as Error));
      else reply(answered);
    }
  });
}

function closeTcp(server: Server): Promise<void> {
  for (const connection of openConnections.get(server) ?? []) connection.destroy();
  return new Promise((resolve) => server.close(() => resolve()));
}
