import { pino, type DestinationStream, type Logger } from "pino";

export type { Logger } from "pino";

/** createLogger returns kube2sky's one structured logger: JSON lines, quiet (warn) unless told otherwise. */
export function createLogger(level = "warn", destination?: DestinationStream): Logger {
  const options = { name: "kube2sky", level };
  return destination === undefined ? pino(options) : pino(options, destination);
}
