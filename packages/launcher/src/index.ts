/**
 * @kube-dns/launcher: runs the kube-dns pod on one machine. A kubelet-like Supervisor for the containers' processes
 * (prefixed logs, restarts with back-off, liveness and readiness probes, clean stop) and a tree view of /skydns.
 */
export { KUBELET_BACKOFF, restartDelayMs } from "./backoff.js";
export type { BackoffOptions } from "./backoff.js";
export type { ChildSpec, ExitStatus, Output } from "./child.js";
export { forwardLines } from "./lines.js";
export type { ProbeSpec } from "./probe.js";
export { stopOnSignals } from "./signals.js";
export { describeStatus, Supervisor } from "./supervisor.js";
export type { ChildState, ChildStatus, SupervisorEvents, SupervisorOptions } from "./supervisor.js";
