import { spawn } from "node:child_process";
import { formatDuration } from "@kube-dns/flagvalues";

/** RunOptions bounds one run of the health command. */
export interface RunOptions {
  /** The run is killed (its whole process group) once it has lasted this long. */
  readonly timeoutMs: number;
  /** Combined stdout and stderr kept; the rest is counted and dropped. */
  readonly maxOutputBytes: number;
  /** Aborting kills the run, as a timeout does. */
  readonly signal?: AbortSignal;
}

/** RunResult is what one run of the command left behind. */
export interface RunResult {
  /** True when the command exited with status 0 within its timeout. */
  readonly ok: boolean;
  /** Why the run failed, e.g. `exit status 1` or `timed out after 5s`; empty when ok. */
  readonly error: string;
  /** Combined stdout and stderr in arrival order, cut at maxOutputBytes. */
  readonly output: string;
  /** Bytes dropped beyond maxOutputBytes. */
  readonly droppedBytes: number;
  readonly timedOut: boolean;
  /** Wall-clock start, in milliseconds since the epoch. */
  readonly startedAtMs: number;
  readonly durationMs: number;
}

/**
 * runCommand runs `sh -c command` in its own process group, captures its combined output up to a cap and
 * resolves when the output pipes close. It never rejects: a command that cannot start, fails, hangs past
 * its timeout or keeps the pipes open through a background child becomes a failed RunResult.
 */
export function runCommand(command: string, options: RunOptions): Promise<RunResult> {
  const startedAtMs = Date.now();
  const started = performance.now();
  const chunks: Buffer[] = [];
  let keptBytes = 0;
  let droppedBytes = 0;
  let timedOut = false;
  let aborted = false;
  let spawnError: Error | undefined;

  // detached puts sh at the head of a new process group, so a kill reaches every process it started.
  const child = spawn("sh", ["-c", command], { detached: true, stdio: ["ignore", "pipe", "pipe"] });
  const killGroup = (): void => {
    if (child.pid === undefined) return;
    try {
      process.kill(-child.pid, "SIGKILL");
    } catch {
      // the group is already gone
    }
  };
  // Keep reading past the cap: a writer blocked on a full pipe would otherwise hang until the timeout.
  const onData = (chunk: Buffer): void => {
    const kept = Math.min(chunk.length, Math.max(0, options.maxOutputBytes - keptBytes));
    if (kept > 0) chunks.push(kept === chunk.length ? chunk : chunk.subarray(0, kept));
    keptBytes += kept;
    droppedBytes += chunk.length - kept;
  };
  child.stdout.on("data", onData);
  child.stderr.on("data", onData);

  const timer = setTimeout(() => {
    timedOut = true;
    killGroup();
  }, options.timeoutMs);
  const onAbort = (): void => {
    aborted = true;
    killGroup();
  };
  options.signal?.addEventListener("abort", onAbort, { once: true });
  if (options.signal?.aborted) onAbort();

  return new Promise((resolve) => {
    let settled = false;
    const finish = (code: number | null, signal: NodeJS.Signals | null): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      options.signal?.removeEventListener("abort", onAbort);
      // sh has exited; what it left running in its group goes with it, as with a container's exec probe.
      if (!timedOut && !aborted) killGroup();
      const error = failureOf(code, signal);
      resolve({
        ok: error === "",
        error,
        output: Buffer.concat(chunks).toString("utf8"),
        droppedBytes,
        timedOut,
        startedAtMs,
        durationMs: performance.now() - started,
      });
    };
    const failureOf = (code: number | null, signal: NodeJS.Signals | null): string => {
      if (spawnError) return `could not run sh: ${spawnError.message}`;
      if (timedOut) return `timed out after ${formatDuration(options.timeoutMs)}`;
      if (aborted) return "stopped";
      if (code === null) return `killed by ${signal ?? "a signal"}`;
      return code === 0 ? "" : `exit status ${code}`;
    };
    child.once("error", (error) => {
      spawnError = error;
      // A child that never started emits no "close" once its pipes were never opened.
      if (child.pid === undefined) finish(null, null);
    });
    child.once("close", finish);
  });
}
