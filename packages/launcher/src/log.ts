import { pino, type Logger } from "pino";

/** Logger is the structured logger the launcher writes its own messages through (the children's lines go to Output). */
export type { Logger };

/** LogLevel is a pino level name; "silent" turns logging off. */
export type LogLevel = "debug" | "info" | "warn" | "error" | "silent";

/** createLogger returns the launcher's one logger, bound to its name, writing JSON lines to stderr; quiet (warn) by default. */
export function createLogger(level: LogLevel = "warn"): Logger {
  return pino({ name: "kube-dns", level }, process.stderr);
}
