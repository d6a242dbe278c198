import { pino, type DestinationStream, type Logger } from "pino";

/** Logger is the one structured logger of dev-apiserver (pino, JSON lines). */
export type { Logger };

/** createLogger returns dev-apiserver's logger bound to its name: quiet (warn) unless told otherwise. */
export function createLogger(level = "warn", destination?: DestinationStream): Logger {
  const options = { name: "dev-apiserver", level };
  return destination === undefined ? pino(options) : pino(options, destination);
}
