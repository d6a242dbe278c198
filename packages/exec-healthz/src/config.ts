/** Config is everything exec-healthz needs to run: the program's flags, typed. */
export interface Config {
  /** Shell command run as `sh -c CMD`. */
  readonly cmd: string;
  /** Time between the starts of two runs. */
  readonly periodMs: number;
  /** A run still going after this long is killed with its process group and counts as failed. */
  readonly timeoutMs: number;
  /** Maximum age of the last result for /healthz to answer 200. */
  readonly latencyMs: number;
  /** TCP port to serve on; 0 asks the kernel for a free one. */
  readonly port: number;
  /** Address to serve on. */
  readonly address: string;
  /** Keep successful runs out of the log. */
  readonly quiet: boolean;
  /** Combined output kept per run; the rest is dropped and counted. */
  readonly maxOutputBytes: number;
}

/** DEFAULT_CONFIG holds the defaults of v1.2's kube-dns pod (plus the limits v1.2 did not have). */
export const DEFAULT_CONFIG: Config = Object.freeze({
  cmd: "nslookup kubernetes.default.svc.cluster.local 127.0.0.1",
  periodMs: 2000,
  timeoutMs: 5000,
  latencyMs: 30_000,
  port: 8080,
  address: "0.0.0.0",
  quiet: false,
  maxOutputBytes: 64 * 1024,
});
