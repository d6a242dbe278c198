import { setTimeout as delay } from "node:timers/promises";
import { type RunResult, runCommand } from "./run.js";

/** LoopOptions says what to run, how often and where each result goes. */
export interface LoopOptions {
  readonly command: string;
  readonly periodMs: number;
  readonly timeoutMs: number;
  readonly maxOutputBytes: number;
  readonly onResult: (result: RunResult) => void;
}

/** ProbeLoop is a running command loop; stop() kills a run in progress and resolves once the loop has ended. */
export interface ProbeLoop {
  stop(): Promise<void>;
}

/**
 * startProbeLoop runs the command at once and then once per period, one run at a time: a run longer than
 * the period is followed by the next one straight away, as Go's ticker did in v1.2 (it drops the ticks it missed).
 */
export function startProbeLoop(options: LoopOptions): ProbeLoop {
  const controller = new AbortController();
  const { signal } = controller;
  const loop = async (): Promise<void> => {
    while (!signal.aborted) {
      const result = await runCommand(options.command, { timeoutMs: options.timeoutMs, maxOutputBytes: options.maxOutputBytes, signal });
      if (signal.aborted) return;
      options.onResult(result);
      try {
        await delay(Math.max(0, options.periodMs - result.durationMs), undefined, { signal });
      } catch {
        return; // aborted while waiting
      }
    }
  };
  const done = loop();
  return {
    async stop() {
      controller.abort();
      await done;
    },
  };
}
