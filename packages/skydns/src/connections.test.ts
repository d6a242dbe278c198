import { EventEmitter } from "node:events";
import type { Socket } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { ConnectionTable } from "./connections.js";
import { CLOSE_CLIENT, CLOSE_EVICTED, CLOSE_IDLE, CLOSE_REASONS } from "./stats.js";

// A stand-in for a socket: the table only destroys it and listens for its close.
function fakeSocket(): Socket & { destroyed: boolean } {
  const socket = new EventEmitter() as Socket & { destroyed: boolean };
  socket.destroyed = false;
  socket.destroy = () => {
    if (!socket.destroyed) queueMicrotask(() => socket.emit("close"));
    socket.destroyed = true;
    return socket;
  };
  return socket;
}

let table: ConnectionTable | undefined;
afterEach(() => table?.stop());

describe("ConnectionTable", () => {
  it("at its cap closes the connection idle longest for a new one, not the newcomer", () => {
    const closed = new Float64Array(CLOSE_REASONS.length);
    table = new ConnectionTable({ maxConnections: 3, idleMs: 60_000 }, closed);
    const [a, b, c, d] = [fakeSocket(), fakeSocket(), fakeSocket(), fakeSocket()];
    table.admit(a);
    table.admit(b);
    table.admit(c);
    table.touch(a);
    table.admit(d);
    expect([a.destroyed, b.destroyed, c.destroyed, d.destroyed]).toEqual([false, true, false, false]);
    expect(table.size).toBe(3);
    expect(closed[CLOSE_EVICTED]).toBe(1);
  });

  it("sweeps the connections idle past the timeout, counting each close once by its reason", async () => {
    const closed = new Float64Array(CLOSE_REASONS.length);
    table = new ConnectionTable({ maxConnections: 10, idleMs: 60_000 }, closed);
    const [old, fresh, leaving] = [fakeSocket(), fakeSocket(), fakeSocket()];
    table.admit(old);
    table.admit(fresh);
    table.admit(leaving);
    table.touch(fresh);
    leaving.destroy();
    await new Promise<void>((resolve) => queueMicrotask(resolve));
    table.sweep(performance.now() + 30_000);
    expect(table.size).toBe(2);
    table.sweep(performance.now() + 120_000);
    expect([old.destroyed, fresh.destroyed]).toEqual([true, true]);
    await new Promise<void>((resolve) => queueMicrotask(resolve));
    expect([closed[CLOSE_IDLE], closed[CLOSE_EVICTED], closed[CLOSE_CLIENT]]).toEqual([2, 0, 1]);
  });
});
