import type { LogDestination } from "@kube-dns/log";

/** LogSink collects kube2sky's JSON log lines and lets a test await one: an event, not a sleep. */
export interface LogSink {
  readonly stream: LogDestination;
  /** Every line so far, parsed. */
  readonly lines: readonly Record<string, unknown>[];
  /** next resolves with the next line (from now on) whose msg matches. */
  next(msg: RegExp): Promise<Record<string, unknown>>;
}

/** logSink returns an empty sink. */
export function logSink(): LogSink {
  const waiters: Array<{ msg: RegExp; resolve: (entry: Record<string, unknown>) => void }> = [];
  const lines: Record<string, unknown>[] = [];
  return {
    lines,
    stream: {
      write(line: string) {
        const entry = JSON.parse(line) as Record<string, unknown>;
        lines.push(entry);
        for (const waiter of [...waiters]) {
          if (typeof entry.msg === "string" && waiter.msg.test(entry.msg)) {
            waiters.splice(waiters.indexOf(waiter), 1);
            waiter.resolve(entry);
          }
        }
      },
    },
    next(msg) {
      return new Promise((resolve) => waiters.push({ msg, resolve }));
    },
  };
}
