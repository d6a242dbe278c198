import { EventEmitter } from "node:events";
import { readFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { Supervisor, SupervisorEvents } from "../src/index.js";

/** isGone tells whether a process has exited (a zombie waiting to be reaped counts as gone). */
export function isGone(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2).startsWith("Z");
  } catch {
    return true;
  }
}

/** nextEvent resolves with the arguments of the first `event` that satisfies accept, or rejects after timeoutMs. */
export function nextEvent<K extends keyof SupervisorEvents>(
  supervisor: Supervisor,
  event: K,
  accept: (...args: SupervisorEvents[K]) => boolean = () => true,
  timeoutMs = 10_000,
): Promise<SupervisorEvents[K]> {
  return new Promise((resolve, reject) => {
    const emitter = supervisor as unknown as EventEmitter;
    const listener = (...args: unknown[]): void => {
      const typed = args as SupervisorEvents[K];
      if (!accept(...typed)) return;
      clearTimeout(timer);
      emitter.off(event, listener);
      resolve(typed);
    };
    const timer = setTimeout(() => {
      emitter.off(event, listener);
      reject(new Error(`no matching ${event} event within ${timeoutMs}ms`));
    }, timeoutMs);
    emitter.on(event, listener);
  });
}

/** Collected gathers the supervisor's output and waits for lines. */
export class Collected extends EventEmitter {
  readonly lines: Array<{ text: string; stream: string }> = [];

  readonly output = (text: string, stream: "stdout" | "stderr"): void => {
    this.lines.push({ text, stream });
    this.emit("line");
  };

  /** line resolves with the first line (seen or to come) that matches pattern, or rejects after timeoutMs. */
  line(pattern: RegExp, timeoutMs = 10_000): Promise<string> {
    const found = (): string | undefined => this.lines.find((line) => pattern.test(line.text))?.text;
    return new Promise((resolve, reject) => {
      const check = (): void => {
        const text = found();
        if (text === undefined) return;
        clearTimeout(timer);
        this.off("line", check);
        resolve(text);
      };
      const timer = setTimeout(() => {
        this.off("line", check);
        reject(new Error(`no line matching ${pattern} within ${timeoutMs}ms; got ${JSON.stringify(this.lines)}`));
      }, timeoutMs);
      this.on("line", check);
      check();
    });
  }
}

/** StatusServer is a loopback HTTP server whose answer a test sets: the probe target. */
export interface StatusServer {
  readonly url: string;
  status: number;
  close(): Promise<void>;
}

/** startStatusServer serves `status` (200 at first) on every path of a free loopback port. */
export async function startStatusServer(status = 200): Promise<StatusServer> {
  const state = { status };
  const server: Server = createServer((_request, response) => response.writeHead(state.status).end());
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/healthz`,
    get status() {
      return state.status;
    },
    set status(value: number) {
      state.status = value;
    },
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
