import { InvalidArgumentError } from "commander";
import type { HostPort } from "./address.js";
import { parseHostPort, parsePort } from "./address.js";
import { parseBoolean } from "./boolean.js";
import { parseDuration } from "./duration.js";

/**
 * argParser adapts a parser of ours to commander's `.argParser()`: its error becomes an InvalidArgumentError, which
 * commander prints as `error: option '--period <duration>' argument '2x' is invalid. <message>` and exits 1,
 * instead of crashing with a stack trace.
 */
export function argParser<T>(parse: (text: string) => T): (text: string) => T {
  return (text) => {
    try {
      return parse(text);
    } catch (error) {
      throw new InvalidArgumentError(error instanceof Error ? error.message : String(error));
    }
  };
}

/** durationArg reads a Go duration flag as milliseconds (0 allowed). */
export const durationArg = argParser(parseDuration);

/** positiveDurationArg reads a Go duration flag that must be more than 0 (a period, a timeout). */
export const positiveDurationArg = argParser((text: string): number => {
  const ms = parseDuration(text);
  if (ms <= 0) throw new Error("must be more than 0");
  return ms;
});

/** portArg reads a port flag (0 asks for a free port). */
export const portArg = argParser(parsePort);

/** booleanArg reads a boolean flag value (`--pods=false`, `KUBE2SKY_PODS=true`). */
export const booleanArg = argParser(parseBoolean);

/** hostPortArg reads an address flag, filling a missing host with defaultHost. */
export function hostPortArg(defaultHost: string): (text: string) => HostPort {
  return argParser((text: string) => parseHostPort(text, defaultHost));
}
