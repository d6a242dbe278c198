import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { createInterface } from "node:readline";

/** Program is exec-healthz running as a real process from source, with the port it logged. */
export interface Program {
  readonly child: ChildProcess;
  readonly port: number;
}

/**
 * startProgram spawns `node --conditions=source --import tsx packages/exec-healthz/src/main.ts ARGS` from the
 * repository root and resolves with the port from its "serving /healthz" log line.
 */
export async function startProgram(args: readonly string[]): Promise<Program> {
  const child = spawn(process.execPath, ["--conditions=source", "--import", "tsx", "packages/exec-healthz/src/main.ts", ...args], {
    cwd: new URL("../../..", import.meta.url).pathname,
    stdio: ["ignore", "pipe", "pipe"],
  });
  const lines = createInterface({ input: child.stdout });
  const exited = once(child, "exit").then(() => {
    throw new Error("exec-healthz exited before it logged its port");
  });
  const logged = (async () => {
    for await (const line of lines) {
      const entry = JSON.parse(line) as { port?: number; msg?: string };
      if (entry.msg?.startsWith("serving /healthz") && entry.port !== undefined) return entry.port;
    }
    throw new Error("exec-healthz closed its output before it logged its port");
  })();
  const port = await Promise.race([logged, exited]);
  exited.catch(() => undefined);
  return { child, port };
}
