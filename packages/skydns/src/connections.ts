import type { Socket } from "node:net";
import { CLOSE_CLIENT, CLOSE_EVICTED, CLOSE_IDLE, type CloseReason } from "./stats.js";

/** TcpLimits bound the TCP connections a server keeps. */
export interface TcpLimits {
  /** Connections open at most; a new one past it closes the connection idle longest (STYLE section 8). */
  readonly maxConnections: number;
  /** A connection with no query read and no reply written for this long is closed (RFC 7766 section 6.2.3). */
  readonly idleMs: number;
}

/**
 * ConnectionTable holds the open TCP connections in the order of their last activity (a whole query read or a reply
 * written, not a byte: a client trickling bytes stays as idle as one sending nothing). At the cap a newcomer closes
 * the connection idle longest instead of being refused, and a sweep closes those idle past the timeout. Every close
 * it makes, and every close by a client, is counted by reason.
 */
export class ConnectionTable {
  // Map insertion order is the activity order: touch() moves a connection to the end, so the first is the idlest.
  private readonly lastActive = new Map<Socket, number>();
  private readonly sweeper: NodeJS.Timeout;

  constructor(private readonly limits: TcpLimits, private readonly closed: Float64Array) {
    // A tenth of the timeout: a connection lives at most 10% past it, and the sweep stops at the first live one.
    this.sweeper = setInterval(() => this.sweep(performance.now()), Math.max(50, limits.idleMs / 10));
    this.sweeper.unref();
  }

  /** size is the number of open connections. */
  get size(): number {
    return this.lastActive.size;
  }

  /** admit adds a new connection, first closing the idlest ones while the table is at its cap. */
  admit(connection: Socket): void {
    for (const idlest of this.lastActive.keys()) {
      if (this.lastActive.size < this.limits.maxConnections) break;
      this.close(idlest, CLOSE_EVICTED);
    }
    this.lastActive.set(connection, performance.now());
    connection.once("close", () => {
      if (this.lastActive.delete(connection)) this.closed[CLOSE_CLIENT]! += 1;
    });
  }

  /** touch records activity on a connection: it becomes the last to be closed for idleness. */
  touch(connection: Socket): void {
    if (this.lastActive.delete(connection)) this.lastActive.set(connection, performance.now());
  }

  /** close closes a connection and counts why (once, however often it is called). */
  close(connection: Socket, reason: CloseReason): void {
    if (this.lastActive.delete(connection)) this.closed[reason]! += 1;
    connection.destroy();
  }

  /** sweep closes every connection idle for the timeout or longer at `now` (performance.now()). */
  sweep(now: number): void {
    for (const [connection, at] of this.lastActive) {
      if (now - at < this.limits.idleMs) break;
      this.close(connection, CLOSE_IDLE);
    }
  }

  /** stop closes every connection, uncounted (the server is going away), and stops the sweep. */
  stop(): void {
    clearInterval(this.sweeper);
    const all = [...this.lastActive.keys()];
    this.lastActive.clear();
    for (const connection of all) connection.destroy();
  }
}
