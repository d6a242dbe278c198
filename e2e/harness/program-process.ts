import { type ChildProcess, spawn } from "node:child_process";
import { join } from "node:path";
import { REPO_ROOT } from "./launcher-process.js";

const TAIL_LINES = 30;

/**
 * ProgramProcess is one of our programs (`kube2sky`, `skydns`) run from its TypeScript sources as its own process, as
 * a replica in a cluster runs: it can be SIGKILLed as a crash and started again with the same flags. Every process it
 * started is SIGKILLed when the test process exits, whatever happened.
 */
export class ProgramProcess {
  private child: ChildProcess | undefined;
  private lines: string[] = [];
  /** Counts the starts: a query sweep that saw the generation change knows the process died under it. */
  generation = 0;
  /** The generation that last passed waitReady(). */
  private readyGeneration = 0;
  private readonly onExit = (): void => void this.child?.kill("SIGKILL");

  constructor(
    readonly name: string,
    private readonly program: "kube2sky" | "skydns",
    private readonly args: readonly string[],
    /** The URL that answers 200 once the process is ready. */
    readonly readyUrl: string,
  ) {}

  /** up is true while the process runs. */
  get up(): boolean {
    return this.child !== undefined && this.child.exitCode === null && this.child.signalCode === null;
  }

  /** ready is true from a waitReady() that succeeded until the process ends: a kubelet would send it traffic. */
  get ready(): boolean {
    return this.readyGeneration === this.generation && this.up;
  }

  /** start spawns the process (again). */
  start(): void {
    if (this.up) throw new Error(`${this.name} is running already`);
    this.generation++;
    const child = spawn(process.execPath, ["--conditions=source", "--import", "tsx", join(REPO_ROOT, "packages", this.program, "src", "main.ts"), ...this.args], {
      cwd: REPO_ROOT,
      stdio: ["ignore", "pipe", "pipe"],
    });
    this.child = child;
    process.once("exit", this.onExit);
    for (const stream of [child.stdout, child.stderr]) {
      stream?.setEncoding("utf8");
      stream?.on("data", (chunk: string) => {
        for (const line of chunk.split("\n")) if (line !== "") this.lines.push(line);
        if (this.lines.length > TAIL_LINES) this.lines = this.lines.slice(-TAIL_LINES);
      });
    }
    child.once("exit", () => process.off("exit", this.onExit));
  }

  /** waitReady resolves once readyUrl answers 200; it rejects after timeoutMs, or when the process exits, with its last lines. */
  async waitReady(timeoutMs = 60_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (!this.up) throw new Error(`${this.name} exited before it was ready:\n${this.tail()}`);
      try {
        if ((await fetch(this.readyUrl, { signal: AbortSignal.timeout(1000) })).status === 200) {
          this.readyGeneration = this.generation;
          return;
        }
      } catch {
        // not listening yet
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error(`${this.name} not ready within ${timeoutMs} ms:\n${this.tail()}`);
  }

  /** kill SIGKILLs the process, as a crash would, and resolves once it is gone. */
  kill(): Promise<void> {
    return this.end("SIGKILL");
  }

  /** stop sends SIGTERM, then SIGKILL after graceMs, and resolves once the process is gone. */
  async stop(graceMs = 5000): Promise<void> {
    const timer = setTimeout(() => this.child?.kill("SIGKILL"), graceMs);
    try {
      await this.end("SIGTERM");
    } finally {
      clearTimeout(timer);
    }
  }

  /** tail is the process's last output lines, for failure messages. */
  tail(): string {
    return this.lines.map((line) => `  [${this.name}] ${line}`).join("\n");
  }

  private end(signal: NodeJS.Signals): Promise<void> {
    const child = this.child;
    if (child === undefined || !this.up) return Promise.resolve();
    return new Promise((resolve) => {
      child.once("exit", () => resolve());
      child.kill(signal);
    });
  }
}
