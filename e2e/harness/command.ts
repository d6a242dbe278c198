import { spawn } from "node:child_process";

/** CommandResult is what a command (on the node or in a pod) printed and how it ended. */
export interface CommandResult {
  readonly stdout: string;
  readonly stderr: string;
  readonly code: number;
}

/** runCommand runs a program on the node (no shell), bounded by timeoutMs (then SIGKILLed), and returns what it printed. */
export function runCommand(command: string, args: readonly string[], timeoutMs = 15_000, cwd?: string): Promise<CommandResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, stdio: ["ignore", "pipe", "pipe"], timeout: timeoutMs, killSignal: "SIGKILL" });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString("utf8")));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString("utf8")));
    child.once("error", reject);
    child.once("close", (code, signal) => resolve({ stdout, stderr, code: code ?? (signal ? 128 : -1) }));
  });
}

/** pgrep lists the pids whose full command line matches the extended regular expression pattern. */
export async function pgrep(pattern: string): Promise<number[]> {
  const result = await runCommand("pgrep", ["-f", "--", pattern], 5000);
  // pgrep exits 1 when nothing matches.
  if (result.code > 1) throw new Error(`pgrep -f ${pattern} failed: ${result.stderr.trim()}`);
  return result.stdout.split("\n").filter((line) => line.trim() !== "").map(Number);
}

/** escapeRegExp makes text match itself literally in an extended regular expression (pgrep's). */
export function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
