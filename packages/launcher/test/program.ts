import { spawn } from "node:child_process";
import { once } from "node:events";

/** ProgramResult is how a run of the `kube-dns` program ended. */
export interface ProgramResult {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** REPO_ROOT is the repository's root, where the program is run from. */
export const REPO_ROOT = new URL("../../..", import.meta.url).pathname;

/** kubeDns runs `node --conditions=source --import tsx packages/launcher/src/main.ts ARGS` from the repository root. */
export async function kubeDns(args: readonly string[], env: Readonly<Record<string, string>> = {}): Promise<ProgramResult> {
  const child = spawn(process.execPath, ["--conditions=source", "--import", "tsx", "packages/launcher/src/main.ts", ...args], {
    cwd: REPO_ROOT,
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "pipe"],
    timeout: 30_000,
  });
  let stdout = "";
  let stderr = "";
  child.stdout.setEncoding("utf8").on("data", (text: string) => (stdout += text));
  child.stderr.setEncoding("utf8").on("data", (text: string) => (stderr += text));
  const [status] = (await once(child, "close")) as [number | null];
  return { status, stdout, stderr };
}
