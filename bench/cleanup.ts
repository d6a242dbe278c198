import { type ChildProcess, spawn, type SpawnOptions } from "node:child_process";
import { terminate } from "@kube-dns/etcd-process";

/** A Stopper ends one thing the bench started (a process, a pod, a socket). */
export type Stopper = () => Promise<void> | void;

const stoppers: Stopper[] = [];

/** onStop registers a stopper for stopAll and returns a function that runs it once and unregisters it. */
export function onStop(stopper: Stopper): () => Promise<void> {
  stoppers.push(stopper);
  return async () => {
    const at = stoppers.indexOf(stopper);
    if (at < 0) return;
    stoppers.splice(at, 1);
    await stopper();
  };
}

/** stopAll runs every registered stopper, the newest first; one that fails does not keep the others from running. */
export async function stopAll(): Promise<void> {
  for (let stopper = stoppers.pop(); stopper !== undefined; stopper = stoppers.pop()) {
    await Promise.resolve().then(stopper).catch((error: unknown) => process.stderr.write(`[bench] stopping: ${String(error)}\n`));
  }
}

/** stopOnSignals makes Ctrl-C (and SIGTERM) stop everything the bench started before the process exits. */
export function stopOnSignals(): void {
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    process.once(signal, () => {
      process.stderr.write(`[bench] ${signal}: stopping what the bench started\n`);
      void stopAll().finally(() => process.exit(130));
    });
  }
}

/** OwnedProcess is a child process the bench stops (SIGTERM, then SIGKILL) when done or interrupted. */
export interface OwnedProcess {
  readonly child: ChildProcess;
  readonly pid: number;
  stop(): Promise<void>;
}

/** spawnOwned starts a program and registers it with onStop, so that no run leaves it behind. */
export function spawnOwned(command: string, args: readonly string[], options: SpawnOptions = {}): OwnedProcess {
  const child = spawn(command, args, { stdio: ["ignore", "ignore", "pipe"], ...options });
  if (child.pid === undefined) throw new Error(`${command} did not start`);
  let stderr = "";
  child.stderr?.on("data", (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-4000)));
  child.once("exit", (code, signal) => {
    if (code !== 0 && code !== null && signal === null) process.stderr.write(`[bench] ${command} exited with ${code}: ${stderr}\n`);
  });
  const stop = onStop(() => terminate(child));
  return { child, pid: child.pid, stop };
}
