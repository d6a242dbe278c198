/**
 * @kube-dns/exec-healthz: the liveness sidecar of the kube-dns pod. Runs a command every period and serves
 * its last result at /healthz (200 while it succeeds and is fresh, else 503), with Prometheus metrics.
 */
export { DEFAULT_CONFIG } from "./config.js";
export type { Config } from "./config.js";
export { parseFlags } from "./flags.js";
export type { Flags } from "./flags.js";
export { startExecHealthz } from "./healthz.js";
export type { Dependencies, ExecHealthz } from "./healthz.js";
export { CONTENT_TYPE, createMetrics } from "./metrics.js";
export type { Metrics } from "./metrics.js";
export { runCommand } from "./run.js";
export type { RunOptions, RunResult } from "./run.js";
export { healthOf } from "./status.js";
export type { Health, Latest } from "./status.js";
