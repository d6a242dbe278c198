import type { ChildProcess } from "node:child_process";
import { createInterface } from "node:readline";

/**
 * logLine resolves with the first JSON log line on child's stdout whose msg matches, or rejects (with what the
 * process wrote to stderr) when it exits first: a test waits on what kube2sky says, not on a clock.
 */
export function logLine(child: ChildProcess, msg: RegExp): Promise<Record<string, unknown>> {
  let stderr = "";
  child.stderr?.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve, reject) => {
    createInterface({ input: child.stdout as NodeJS.ReadableStream }).on("line", (line) => {
      try {
        const entry = JSON.parse(line) as Record<string, unknown>;
        if (typeof entry.msg === "string" && msg.test(entry.msg)) resolve(entry);
      } catch {
        // not a log line
      }
    });
    child.once("exit", (code) => reject(new Error(`kube2sky exited with ${code} before logging ${msg}: ${stderr}`)));
  });
}
