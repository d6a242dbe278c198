import { connect, createServer, type Server, type Socket } from "node:net";

/**
 * TcpRelay forwards TCP connections from a free loopback port to target, and can hold every byte in both directions
 * (pause) as a network that went silent would, without closing anything; resume lets the held bytes through.
 */
export class TcpRelay {
  private readonly sockets = new Set<Socket>();
  private paused = false;

  private constructor(private readonly server: Server) {}

  /** start listens on a free port of 127.0.0.1 and relays each connection to target. */
  static async start(target: { host: string; port: number }): Promise<TcpRelay> {
    const server = createServer();
    const relay = new TcpRelay(server);
    server.on("connection", (client) => relay.accept(client, connect(target)));
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(0, "127.0.0.1", resolve);
    });
    return relay;
  }

  /** The port clients connect to, on 127.0.0.1. */
  get port(): number {
    const address = this.server.address();
    if (address === null || typeof address === "string") throw new Error("the relay is not listening");
    return address.port;
  }

  /** pause stops reading from every connection, present and future: nothing more gets through. */
  pause(): void {
    this.paused = true;
    for (const socket of this.sockets) socket.pause();
  }

  /** resume reads again: what was held goes through. */
  resume(): void {
    this.paused = false;
    for (const socket of this.sockets) socket.resume();
  }

  /** stop closes every connection and the listener. */
  async stop(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private accept(client: Socket, upstream: Socket): void {
    for (const [from, to] of [[client, upstream], [upstream, client]] as const) {
      this.sockets.add(from);
      from.pipe(to);
      from.on("error", () => to.destroy());
      from.on("close", () => {
        this.sockets.delete(from);
        to.destroy();
      });
      if (this.paused) from.pause();
    }
  }
}
