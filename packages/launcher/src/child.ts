import { spawn } from "node:child_process";
import { forwardLines } from "./lines.js";
import { killGroup, trackGroup, waitGroupGone } from "./process-group.js";
import type { ProbeSpec } from "./probe.js";

/** ChildSpec is one container of the pod, as a local process. */
export interface ChildSpec {
  /** Names the child in the output (`[name] ...`) and in the supervisor's calls. */
  readonly name: string;
  readonly command: string;
  readonly args?: readonly string[];
  /** Variables set over the launcher's own environment. */
  readonly env?: Readonly<Record<string, string>>;
  readonly cwd?: string;
  /** Failing this (failureThreshold times in a row) kills the child, which is then restarted. */
  readonly liveness?: ProbeSpec;
  /** Decides readiness; without it a running child is ready. */
  readonly readiness?: ProbeSpec;
}

/** Output receives the children's prefixed lines, each ending in a newline, with the stream they came from. */
export type Output = (text: string, stream: "stdout" | "stderr") => void;

/** ExitStatus is how a child's process ended: an exit code, a signal, or an error that kept it from starting. */
export interface ExitStatus {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly error?: string;
}

/** Incarnation is one run of a child's process. */
export interface Incarnation {
  readonly pid: number | undefined;
  readonly startedAtMs: number;
  /** Resolves once the process has exited, its group is gone and its output has been forwarded. */
  readonly done: Promise<ExitStatus>;
  /** SIGTERM to the process group, SIGKILL after graceMs; resolves as done does. */
  terminate(graceMs: number): Promise<ExitStatus>;
}

// After the leader exits, how long pipes held by an escaped process (a new session) may keep the output open.
const DRAIN_MS = 2000;
// How long the rest of the group may take to die after its SIGKILL before done resolves anyway (a process stuck in
// uninterruptible sleep cannot be hurried).
const GROUP_GONE_MS = 5000;

/**
 * launch starts spec's process at the head of its own process group, forwarding its output line by line.
 * Once the leader exits, the rest of its group is killed, as a container's processes die with its main process.
 */
export function launch(spec: ChildSpec, output: Output): Incarnation {
  const startedAtMs = Date.now();
  const child = spawn(spec.command, spec.args ?? [], {
    cwd: spec.cwd,
    // Inherit the launcher's environment, adding the child's own variables.
    env: spec.env === undefined ? undefined : { ...process.env, ...spec.env },
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
  });
  const release = child.pid === undefined ? () => false : trackGroup(child.pid);
  const prefix = `[${spec.name}] `;
  forwardLines(child.stdout, prefix, (text) => output(text, "stdout"));
  forwardLines(child.stderr, prefix, (text) => output(text, "stderr"));

  const done = new Promise<ExitStatus>((resolve) => {
    child.once("error", (error) => {
      // A process that never started emits no exit; its pipes are closed already.
      if (child.pid === undefined) resolve({ code: null, signal: null, error: error.message });
    });
    child.once("exit", (code, signal) => {
      const pid = child.pid;
      if (pid !== undefined) killGroup(pid, "SIGKILL");
      const drain = setTimeout(() => {
        child.stdout.destroy();
        child.stderr.destroy();
      }, DRAIN_MS);
      const closed = new Promise<void>((closedResolve) => child.once("close", () => closedResolve()));
      const groupGone = pid === undefined ? Promise.resolve(true) : waitGroupGone(pid, GROUP_GONE_MS);
      void Promise.all([closed, groupGone]).then(() => {
        clearTimeout(drain);
        release();
        resolve({ code, signal });
      });
    });
  });

  return {
    pid: child.pid,
    startedAtMs,
    done,
    terminate(graceMs) {
      if (child.pid !== undefined && child.exitCode === null && child.signalCode === null) {
        const pid = child.pid;
        killGroup(pid, "SIGTERM");
        const killer = setTimeout(() => killGroup(pid, "SIGKILL"), graceMs);
        void done.finally(() => clearTimeout(killer));
      }
      return done;
    },
  };
}
