/**
 * @kube-dns/launcher: runs the kube-dns pod on one machine. A kubelet-like Supervisor for the containers' processes
 * (prefixed logs, restarts with back-off, liveness and readiness probes, clean stop) and a tree view of /skydns.
 */
export { KUBELET_BACKOFF, restartDelayMs } from "./backoff.js";
export type { BackoffOptions } from "./backoff.js";
export type { ChildSpec, ExitStatus, Output } from "./child.js";
export { describeExit, describeStatus } from "./describe.js";
export { kubeconfigFor, LOCAL_KUBECONFIG, parseCommandLine } from "./flags.js";
export type { DoctorInvocation, Invocation, TreeConfig, UpConfig } from "./flags.js";
export { forwardLines } from "./lines.js";
export { planPod } from "./pod.js";
export type { PodConfig, PodPlan } from "./pod.js";
export type { ProbeSpec } from "./probe.js";
export { readRecords } from "./records.js";
export type { EtcdSource } from "./records.js";
export { stopOnSignals } from "./signals.js";
export type { Stoppable } from "./signals.js";
export { Supervisor } from "./supervisor.js";
export type { ChildState, ChildStatus, SupervisorEvents, SupervisorOptions } from "./supervisor.js";
export { formatTree, rowFor } from "./tree.js";
export type { StoredEntry, TreeRow } from "./tree.js";
