import { type ChildProcess, spawn } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseQueryLine, type QueryLogEntry } from "./query-log.js";

/** The repository root, where the launcher runs from (as a user types `kube-dns up`). */
export const REPO_ROOT = join(dirname(fileURLToPath(import.meta.url)), "..", "..");

const BANNER = "kube-dns is up";
const MAX_LINES = 20_000;

/**
 * LauncherProcess is `kube-dns up` running as a child: it keeps the launcher's output lines (the last MAX_LINES),
 * every skydns query line parsed, and tells when the banner appears or the launcher exits.
 */
export class LauncherProcess {
  private readonly child: ChildProcess;
  private readonly lines: string[] = [];
  private readonly queries: QueryLogEntry[] = [];
  private readonly exited: Promise<void>;

  constructor(args: readonly string[]) {
    this.child = spawn(process.execPath, ["--conditions=source", "--import", "tsx", join(REPO_ROOT, "packages", "launcher", "src", "main.ts"), ...args], {
      cwd: REPO_ROOT,
      stdio: ["ignore", "pipe", "pipe"],
    });
    // Should the test process end without stop() (a crash, a second Ctrl-C), the launcher still stops its children.
    const onExit = (): void => {
      if (this.running) this.child.kill("SIGTERM");
    };
    process.once("exit", onExit);
    this.exited = new Promise((resolve) =>
      this.child.once("close", () => {
        process.off("exit", onExit);
        resolve();
      }),
    );
    for (const stream of [this.child.stdout, this.child.stderr]) {
      let pending = "";
      stream?.setEncoding("utf8");
      stream?.on("data", (chunk: string) => {
        const parts = (pending + chunk).split("\n");
        pending = parts.pop() ?? "";
        for (const line of parts) this.addLine(line);
      });
    }
  }

  /** running is true until the launcher has exited. */
  get running(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  /** queryCount is how many queries skydns has logged so far: a mark for queriesSince. */
  queryCount(): number {
    return this.queries.length;
  }

  /** queriesSince returns the queries skydns logged after mark (a queryCount() taken earlier), in order. */
  queriesSince(mark: number): QueryLogEntry[] {
    return this.queries.slice(mark);
  }

  /** tail returns the last count lines of the launcher's output, for error messages. */
  tail(count = 40): string {
    return this.lines.slice(-count).join("\n");
  }

  /** waitForBanner resolves once the launcher prints "kube-dns is up"; it rejects when the launcher exits first or after timeoutMs. */
  async waitForBanner(timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (let polls = 0; polls <= timeoutMs / 100 && Date.now() < deadline; polls++) {
      if (this.lines.some((line) => line.startsWith(BANNER))) return;
      if (!this.running) throw new Error(`kube-dns up exited (${String(this.child.exitCode ?? this.child.signalCode)}) before it was up:\n${this.tail()}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error(`kube-dns up printed no "${BANNER}" within ${timeoutMs / 1000} s:\n${this.tail()}`);
  }

  /** stop sends SIGTERM (the launcher stops its children) and waits for the exit; SIGKILL after graceMs. */
  async stop(graceMs: number): Promise<void> {
    if (!this.running) return this.exited;
    this.child.kill("SIGTERM");
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(true), graceMs)));
    const late = await Promise.race([this.exited.then(() => false), timedOut]);
    clearTimeout(timer);
    if (late) {
      this.child.kill("SIGKILL");
      await this.exited;
      throw new Error(`kube-dns up did not stop within ${graceMs / 1000} s of SIGTERM:\n${this.tail()}`);
    }
  }

  private addLine(line: string): void {
    this.lines.push(line);
    if (this.lines.length > MAX_LINES) this.lines.splice(0, this.lines.length - MAX_LINES);
    const query = parseQueryLine(line);
    if (query !== undefined) this.queries.push(query);
  }
}
