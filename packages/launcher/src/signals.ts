/** Stoppable is what stopOnSignals drives: a graceful stop and an immediate kill. */
export interface Stoppable {
  stop(): Promise<void>;
  kill(): void;
}

/**
 * stopOnSignals makes the first SIGINT (Ctrl-C) or SIGTERM call target.stop(), and a second one target.kill(),
 * as a user pressing Ctrl-C twice expects. onSignal hears each signal (for the log). It returns a function that removes the handlers.
 */
export function stopOnSignals(target: Stoppable, onSignal: (signal: NodeJS.Signals, count: number) => void = () => undefined): () => void {
  let count = 0;
  const handler = (signal: NodeJS.Signals): void => {
    count++;
    onSignal(signal, count);
    if (count === 1) void target.stop();
    else target.kill();
  };
  process.on("SIGINT", handler);
  process.on("SIGTERM", handler);
  return () => {
    process.off("SIGINT", handler);
    process.off("SIGTERM", handler);
  };
}
