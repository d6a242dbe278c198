import { existsSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

/** The programs of the pod that the launcher runs, one per container image we build (plus the local API server). */
export type ProgramName = "kube2sky" | "skydns" | "exec-healthz" | "dev-apiserver";

/** Command is an executable and its leading arguments, ready for a ChildSpec. */
export interface Command {
  readonly command: string;
  readonly args: readonly string[];
}

/** The repository root, found from this file (packages/launcher/{src,dist}/programs.*). */
export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..", "..");

/**
 * programCommand returns how to run a program: its built entry `packages/<name>/dist/main.js`, which is what the
 * container image runs, or with fromSource its TypeScript entry through tsx (for tests, which never run a stale build).
 */
export function programCommand(name: ProgramName, fromSource: boolean, root: string = REPO_ROOT): Command {
  if (fromSource) {
    return { command: process.execPath, args: ["--conditions=source", "--import", "tsx", join(root, "packages", name, "src", "main.ts")] };
  }
  const entry = join(root, "packages", name, "dist", "main.js");
  if (!existsSync(entry)) throw new Error(`${entry} is missing: build first (pnpm -r build, or ./kube-dns up, which builds)`);
  return { command: process.execPath, args: [entry] };
}
