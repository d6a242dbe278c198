/**
 * @kube-dns/log: the structured logger of every container. One shape for every line (pino JSON with `name` and
 * an ISO `time`), one set of level names for every `--log-level`.
 */
import { type DestinationStream, type Logger, pino } from "pino";

export type { Logger };

/** LOG_LEVELS are the values every --log-level accepts, loudest first; "silent" turns logging off. */
export const LOG_LEVELS = ["trace", "debug", "info", "warn", "error", "fatal", "silent"] as const;

/** LogLevel is one of LOG_LEVELS. */
export type LogLevel = (typeof LOG_LEVELS)[number];

/** LogDestination is where lines go: a file descriptor (written synchronously) or a stream. */
export type LogDestination = number | DestinationStream | NodeJS.WritableStream;

/** isLogLevel tells whether text names a level, for values read from outside commander. */
export function isLogLevel(text: string): text is LogLevel {
  return (LOG_LEVELS as readonly string[]).includes(text);
}

/**
 * createLogger returns a program's logger: JSON lines carrying `name` and an ISO `time` (no pid or hostname: a
 * container's log already says where it ran). A file descriptor is written synchronously, so that the last lines
 * before an exit are not lost; stdout (1) unless told otherwise.
 */
export function createLogger(name: string, level: LogLevel, destination: LogDestination = 1): Logger {
  const stream = typeof destination === "number" ? pino.destination({ dest: destination, sync: true }) : destination;
  return pino({ level, base: { name }, timestamp: pino.stdTimeFunctions.isoTime }, stream);
}
