import { pino, type Logger } from "pino";

/** Logger is the structured logger exec-healthz writes through. */
export type { Logger };

/** LogLevel is a pino level name; "silent" turns logging off. */
export type LogLevel = "debug" | "info" | "warn" | "error" | "silent";

/**
 * createLogger returns the package's one logger, bound to its name, writing JSON lines to destination
 * (stdout by default). The library's default is silent; the program passes the level from --log-level.
 */
export function createLogger(level: LogLevel = "silent", destination: NodeJS.WritableStream = process.stdout): Logger {
  return pino({ name: "exec-healthz", level }, destination);
}
