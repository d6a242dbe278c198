import { pino, type Logger } from "pino";

/** Logger is the one structured logger of skydns (pino, JSON lines on stdout). */
export type { Logger };

/** LOG_LEVELS are the values --log-level accepts, quietest last. */
export const LOG_LEVELS = ["trace", "debug", "info", "warn", "error", "fatal", "silent"] as const;
/** LogLevel is one of LOG_LEVELS. */
export type LogLevel = (typeof LOG_LEVELS)[number];

/**
 * createLogger returns the package's logger, bound to `name: "skydns"`. It writes synchronously to
 * stdout so that the last lines before an exit are not lost; skydns logs little (errors, state changes,
 * and with --verbose one line per query).
 */
export function createLogger(level: LogLevel, destination: number = 1): Logger {
  return pino({ level, base: { name: "skydns" }, timestamp: pino.stdTimeFunctions.isoTime }, pino.destination({ dest: destination, sync: true }));
}
