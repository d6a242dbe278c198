/**
 * @kube-dns/flagvalues: parsers for the command-line values the containers share with their Go originals:
 * durations (`--period=2s`, `--etcd-mutation-timeout=10s`) and listen addresses (`--addr=0.0.0.0:53`).
 */
export { parseHostPort, parsePort } from "./address.js";
export type { HostPort } from "./address.js";
export { formatDuration, parseDuration } from "./duration.js";
