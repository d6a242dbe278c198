/**
 * @kube-dns/flagvalues: the one way our programs read their flags. flag() and booleanFlag() declare an option with
 * its environment variable, parseProgram() reads a command line (Go's -flag forms too) and a given environment
 * (never process.env by itself); and the parsers of the values the containers share with their Go originals:
 * durations (`--period=2s`), listen addresses (`--addr=0.0.0.0:53`), ports and booleans, each also as a commander
 * argParser that turns a bad value into a usage error.
 */
export { parseHostPort, parsePort } from "./address.js";
export type { HostPort } from "./address.js";
export { parseBoolean } from "./boolean.js";
export { argParser, booleanArg, durationArg, hostPortArg, portArg, positiveDurationArg } from "./commander.js";
export { formatDuration, parseDuration } from "./duration.js";
export { booleanFlag, flag, parseProgram } from "./program.js";
export type { Env } from "./program.js";
