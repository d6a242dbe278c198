/**
 * @kube-dns/exec-healthz: The liveness sidecar: runs a command every period and serves its last result at /healthz.
 */
export {};
