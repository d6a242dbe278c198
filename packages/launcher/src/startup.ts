import type { ChildSpec, ExitStatus, Output } from "./child.js";
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
export function startReady(supervisor: Supervisor, spec: ChildSpec, timeoutMs: number, tail: OutputTail): Promise<void> {
  return startReadyTogether(supervisor, [spec], timeoutMs, tail);
}

/**
 * startReadyTogether starts several children at once and resolves once every one is ready: for children that need
 * each other to be ready, as the members of an etcd cluster need a quorum. It rejects as startReady does for any one.
 */
export async function startReadyTogether(supervisor: Supervisor, specs: readonly ChildSpec[], timeoutMs: number, tail: OutputTail): Promise<void> {
  const exits = new Map<string, number>();
  let onExited: ((name: string, status: ExitStatus) => void) | undefined;
  const crashed = new Promise<never>((_resolve, reject) => {
    onExited = (name, status) => {
      if (!specs.some((spec) => spec.name === name)) return;
      const count = (exits.get(name) ?? 0) + 1;
      exits.set(name, count);
      if (count < EXITS_BEFORE_GIVING_UP) return;
      reject(new Error(`${name} exited (${describeExit(status)}) ${count} times before it was ready; its last lines:\n${tail.tailOf(name)}`));
    };
    supervisor.on("exited", onExited);
  });
  try {
    for (const spec of specs) supervisor.start(spec);
    await Promise.race([Promise.all(specs.map((spec) => supervisor.waitReady(spec.name, timeoutMs))), crashed]);
  } finally {
    if (onExited !== undefined) supervisor.off("exited", onExited);
  }
}
