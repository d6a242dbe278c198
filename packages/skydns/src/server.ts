import { createSocket, type RemoteInfo, type Socket, type SocketOptions } from "node:dgram";
import { createServer, isIPv6, type Server, type Socket as TcpSocket } from "node:net";
import type { HostPort } from "@kube-dns/flagvalues";
import { ConnectionTable, type TcpLimits } from "./connections.js";
import { FrameReader } from "./frames.js";
import type { Handled, Handler } from "./handler.js";
import { PROTO_TCP, PROTO_UDP, type Proto } from "./stats.js";

/** Observer hears of one answered query (and the query itself) to whoever counts and logs. */
export type Observer = (handled: Handled, proto: Proto, seconds: number, msg: Buffer) => void;

/** Listeners are the bound UDP and TCP servers. */
export interface Listeners {
  readonly udpAddress: HostPort;
  readonly tcpAddress: HostPort;
  /** tcpConnections is the number of open TCP connections. */
  tcpConnections(): number;
  close(): Promise<void>;
}

/** ListenOptions wires the sockets to the query paths. */
export interface ListenOptions {
  readonly addr: HostPort;
  readonly handler: Handler;
  readonly observe: Observer;
  readonly onError: (error: Error) => void;
  readonly tcp: TcpLimits;
  /** Where TCP closes are counted, by CloseReason (Stats.tcpClosed). */
  readonly tcpClosed: Float64Array;
}

/** TCP_MAX_IN_FLIGHT is how many answers one connection may be owed at once before we stop reading its queries. */
const TCP_MAX_IN_FLIGHT = 32;
/** TCP_MAX_UNSENT_BYTES is how many reply bytes may wait for a client that does not read before we stop reading. */
const TCP_MAX_UNSENT_BYTES = 64 * 1024;
const BIND_ATTEMPTS = 5;

interface Tcp {
  readonly server: Server;
  readonly table: ConnectionTable;
}

/**
 * listen binds UDP and TCP on one address (port 0: the kernel picks one for UDP and TCP takes the same). Every
 * query, UDP or TCP (RFC 7766: length-prefixed, pipelined), goes to the handler's one entry point, and is timed
 * and observed once its reply is sent. This is the only place that writes replies. TCP connections are capped and
 * closed when idle (connections.ts).
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
        tcpConnections: () => tcp.table.size,
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
  const ipv6 = isIPv6(addr.host);
  const socket = createSocket({ type: ipv6 ? "udp6" : "udp4", recvBufferSize: 4 << 20, sendBufferSize: 4 << 20, lookup: literalLookup(ipv6 ? 6 : 4) });
  const failed = (error: unknown): void => onError(error as Error);
  socket.on("message", (msg, from) => {
    const started = performance.now();
    const answered = handler.answer(msg, PROTO_UDP, from.address);
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

/**
 * literalLookup hands a reply's destination, always the literal address a query came from, straight back. dgram's
 * default (dns.lookup) would test it against the IP patterns and call back on the next tick: a profile of skydns
 * at saturation showed that deferral and its bookkeeping as the largest cost of ours on the send path.
 */
function literalLookup(family: 4 | 6): NonNullable<SocketOptions["lookup"]> {
  return (address, _options, callback) => callback(null, address, family);
}

function replyUdp(socket: Socket, observe: Observer, handled: Handled, from: RemoteInfo, started: number, msg: Buffer): void {
  if (handled.bytes !== undefined) socket.send(handled.bytes, from.port, from.address);
  observe(handled, PROTO_UDP, (performance.now() - started) / 1000, msg);
}

function bindTcp(options: ListenOptions, port: number): Promise<Tcp> {
  const table = new ConnectionTable(options.tcp, options.tcpClosed);
  const server = createServer((connection) => {
    table.admit(connection);
    serveConnection(connection, table, options);
  });
  return new Promise((resolve, reject) => {
    server.once("error", (error) => {
      table.stop();
      reject(error);
    });
    server.listen(port, options.addr.host, () => {
      server.removeAllListeners("error");
      server.on("error", options.onError);
      resolve({ server, table });
    });
  });
}

/**
 * serveConnection answers the pipelined queries of one connection (RFC 7766 section 6.2.1.1), replying as each
 * answer is ready. What one client can make us hold is bounded: the bytes of one partial message (and the chunk
 * read with it), TCP_MAX_IN_FLIGHT answers being worked on, and TCP_MAX_UNSENT_BYTES of replies it has not read.
 * At either bound reading stops, so the kernel's buffers fill and the client waits, until replies go out.
 */
function serveConnection(connection: TcpSocket, table: ConnectionTable, options: ListenOptions): void {
  const frames = new FrameReader();
  let inFlight = 0;
  let taking = false;
  const full = (): boolean => inFlight >= TCP_MAX_IN_FLIGHT || connection.writableLength > TCP_MAX_UNSENT_BYTES;
  const take = (): void => {
    taking = true;
    for (let msg: Buffer | undefined; !full() && (msg = frames.next()) !== undefined; ) answer(msg);
    taking = false;
    if (full()) connection.pause();
    else if (connection.isPaused() && !connection.destroyed) connection.resume();
  };
  // A reply given at once comes back inside take()'s loop, which goes on by itself; a later one takes what waits.
  const settled = (): void => {
    inFlight--;
    if (!taking) take();
  };
  const answer = (msg: Buffer): void => {
    table.touch(connection);
    inFlight++;
    const started = performance.now();
    const reply = (handled: Handled): void => {
      if (handled.bytes !== undefined && !connection.destroyed) {
        const framed = Buffer.allocUnsafe(handled.bytes.length + 2);
        framed.writeUInt16BE(handled.bytes.length, 0);
        handled.bytes.copy(framed, 2);
        connection.write(framed);
        table.touch(connection);
      }
      options.observe(handled, PROTO_TCP, (performance.now() - started) / 1000, msg);
      settled();
    };
    const answered = options.handler.answer(msg, PROTO_TCP, connection.remoteAddress);
    if (answered instanceof Promise) {
      answered.then(reply, (error: unknown) => {
        options.onError(error as Error);
        settled();
      });
    } else reply(answered);
  };
  connection.on("error", () => connection.destroy());
  connection.on("drain", take);
  connection.on("data", (chunk: Buffer) => {
    frames.push(chunk);
    take();
  });
}

function closeTcp({ server, table }: Tcp): Promise<void> {
  table.stop();
  return new Promise((resolve) => server.close(() => resolve()));
}
