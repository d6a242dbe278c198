/**
 * @kube-dns/e2e: the seeds' walkthroughs, end to end. The harness starts the whole kube-dns pod with the launcher
 * (PodUnderTest) and runs real resolver clients as pods with kubelet-style resolv.conf files (PodShell).
 */
export { OUTSIDE_IP, OUTSIDE_NAME, PodUnderTest, startPod } from "./harness/pod-under-test.js";
export type { PodDNS, PodOptions } from "./harness/pod-under-test.js";
export type { ContainerName } from "./harness/pod-processes.js";
export { PodShell } from "./harness/pod-shell.js";
export type { CommandResult } from "./harness/command.js";
export { kubeletResolvConf } from "./harness/resolv-conf.js";
export type { DNSPolicy, PodDNSConfig } from "./harness/resolv-conf.js";
export { Transcript } from "./harness/transcript.js";
export { startUpstream } from "./harness/upstream.js";
export type { Upstream, UpstreamOptions } from "./harness/upstream.js";
