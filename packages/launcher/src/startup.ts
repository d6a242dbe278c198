import type { ExitStatus, Output } from "./child.js";
import { describeExit } from "./describe.js";
import type { Supervisor } from "./supervisor.js";

/** How many of a container's last output lines a startup failure quotes. */
const TAIL_LINES = 8;
/** Exits before the first readiness that count as "it cannot start" (the first restart is immediate, as a kubelet's). */
const EXITS_BEFORE_GIVING_UP = 2;

/**
 * OutputTail forwards the children's prefixed lines and keeps the last few of each, so that a container that cannot
 * start is reported with what it said (`bind EADDRINUSE ...`) instead of only "not ready after 60s".
 */
export class OutputTail {
  private readonly tails = new Map<string, string[]>();

  constructor(private readonly forward: Output) {}

  /** output is the Supervisor's Output: it forwards each chunk and remembers its lines per child. */
  readonly output: Output = (text, stream) => {
    this.forward(text, stream);
    for (const line of text.split("\n")) {
      const match = /^\[([^\]]+)\] (.*)$/.exec(line);
      if (match === null) continue;
      const [, name, rest] = match as unknown as [string, string, string];
      const tail = this.tails.get(name) ?? [];
      tail.push(rest);
      if (tail.length > TAIL_LINES) tail.shift();
      this.tails.set(name, tail);
    }
  };

  /** tailOf returns a child's last lines, indented for an error message. */
  tailOf(name: string): string {
    const tail = this.tails.get(name) ?? [];
    return tail.length === 0 ? "  (it printed nothing)" : tail.map((line) => `  ${line}`).join("\n");
  }
}

/**
 * startReady starts a child and resolves once it is ready. It rejects when the child exits twice before that (it
 * cannot start: a taken port, a missing binary), quoting its last lines, or when it is not ready within timeoutMs.
 */
export async function startReady(supervisor: Supervisor, spec: Parameters<Supervisor["start"]>[0], timeoutMs: number, tail: OutputTail): Promise<void> {
  let exits = 0;
  let onExited: ((name: string, status: ExitStatus) => void) | undefined;
  const crashed = new Promise<never>((_resolve, reject) => {
    onExited = (name, status) => {
      if (name !== spec.name || ++exits < EXITS_BEFORE_GIVING_UP) return;
      reject(new Error(`${spec.name} exited (${describeExit(status)}) ${exits} times before it was ready; its last lines:\n${tail.tailOf(spec.name)}`));
    };
    supervisor.on("exited", onExited);
  });
  try {
    supervisor.start(spec);
    await Promise.race([supervisor.waitReady(spec.name, timeoutMs), crashed]);
  } finally {
    if (onExited !== undefined) supervisor.off("exited", onExited);
  }
}
