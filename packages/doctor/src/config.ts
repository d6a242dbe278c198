/** DoctorConfig says where the three views are and how to read them. */
export interface DoctorConfig {
  /** A kubeconfig file; undefined for the in-cluster service account. */
  readonly kubeconfig: string | undefined;
  /** Where the records come from, as kube2sky's --endpoints-api and --pods say. */
  readonly endpointsApi: "endpointslices" | "endpoints";
  readonly pods: boolean;
  /** etcd client URLs, comma separated, and TLS files when etcd wants them. */
  readonly etcdServer: string;
  readonly etcdCaFile?: string | undefined;
  readonly etcdCertFile?: string | undefined;
  readonly etcdKeyFile?: string | undefined;
  /** Where skydns answers DNS. */
  readonly dnsHost: string;
  readonly dnsPort: number;
  /** The cluster domain, e.g. `cluster.local`. */
  readonly domain: string;
  /** The etcd prefix of the records, e.g. `/skydns`. */
  readonly prefix: string;
  /** How long a difference must last to be reported: the views are read again after this long. 0: once. */
  readonly settleMs: number;
  /** The deadline of one etcd request, and one DNS try's third. */
  readonly timeoutMs: number;
  /** DNS questions in flight at once; DEFAULT_IN_FLIGHT when omitted. */
  readonly inFlight?: number;
}

/** DEFAULT_IN_FLIGHT bounds the questions waiting on skydns at once, well under its connection and socket limits. */
export const DEFAULT_IN_FLIGHT = 64;
