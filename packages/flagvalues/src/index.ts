/**
 * @kube-dns/flagvalues: parsers for the command-line values the containers share with their Go originals:
 * durations (`--period=2s`, `--etcd-mutation-timeout=10s`), listen addresses (`--addr=0.0.0.0:53`), ports and
 * booleans, each also as a commander argParser that turns a bad value into a usage error.
 */
export { parseHostPort, parsePort } from "./address.js";
export type { HostPort } from "./address.js";
export { parseBoolean } from "./boolean.js";
export { argParser, booleanArg, durationArg, hostPortArg, portArg, positiveDurationArg } from "./commander.js";
export { formatDuration, parseDuration } from "./duration.js";
