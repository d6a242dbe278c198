import { readFileSync } from "node:fs";
import { noop } from "cockatiel";
import { Etcd3, type IOptions } from "etcd3";
import { memberPolicy } from "./members.js";

/** EtcdClientOptions says where etcd is and how to prove who we are. */
export interface EtcdClientOptions {
  /** Client URLs of one or more members; calls and watches move to the others when one fails (memberPolicy). */
  readonly endpoints: readonly string[];
  /** CA bundle that signed the members' certificates (https endpoints). */
  readonly caFile?: string | undefined;
  /** Client certificate and key, for an etcd started with --client-cert-auth. */
  readonly certFile?: string | undefined;
  readonly keyFile?: string | undefined;
  /** How long a new connection may take. */
  readonly dialTimeoutMs?: number;
}

/**
 * The largest gRPC message we accept. Reads are paged and watches fragmented, so no message of ours grows with
 * the cluster; this only has to hold one page of values or one fragment, each far below it. gRPC's default is 4 MiB.
 */
export const MAX_MESSAGE_BYTES = 64 * 1024 * 1024;

/**
 * MAX_RECONNECT_BACKOFF_MS is the longest gRPC waits (plus or minus a fifth) before it dials a member that refused
 * it again: a member that is back is dialled within it, not after gRPC's default of two minutes.
 */
export const MAX_RECONNECT_BACKOFF_MS = 2000;

/**
 * KEEPALIVE_MS is how often a connection with calls or streams on it is pinged, and PING_TIMEOUT_MS how long a ping
 * may go unanswered before the connection counts as dead: a member whose machine vanished (no RST ever comes) fails
 * its watch within 15 s instead of after TCP's two hours, and the watch moves to another member. etcd refuses pings
 * more often than every 5 s (--grpc-keepalive-min-time).
 */
export const KEEPALIVE_MS = 10_000;
export const PING_TIMEOUT_MS = 5_000;

/**
 * connectEtcd builds the etcd v3 client every program of ours uses. The library's retries are off and so is its
 * circuit breaker for a single member (a failure of one call must not refuse the next for seconds); callers retry
 * with their own backoff, and gRPC reconnects soon after a member comes back rather than after its default of up
 * to two minutes. With several members, one found unavailable is passed over for a second (memberPolicy), so calls
 * and watches move to the others at once.
 */
export function connectEtcd(options: EtcdClientOptions): Etcd3 {
  if (options.endpoints.length === 0) throw new Error("no etcd endpoints given");
  const config: IOptions = {
    hosts: [...options.endpoints],
    credentials: credentialsFor(options),
    dialTimeout: options.dialTimeoutMs ?? 3000,
    faultHandling: { host: memberPolicy(options.endpoints.length), global: noop },
    grpcOptions: {
      "grpc.initial_reconnect_backoff_ms": 100,
      "grpc.max_reconnect_backoff_ms": MAX_RECONNECT_BACKOFF_MS,
      "grpc.max_receive_message_length": MAX_MESSAGE_BYTES,
      "grpc.keepalive_time_ms": KEEPALIVE_MS,
      "grpc.keepalive_timeout_ms": PING_TIMEOUT_MS,
    },
  };
  return new Etcd3(config);
}

/** endpointsOf splits a comma-separated list of client URLs, as `--machines` and `--etcd-server` take them. */
export function endpointsOf(text: string): string[] {
  return text.split(",").map((url) => url.trim()).filter((url) => url !== "");
}

function credentialsFor(options: EtcdClientOptions): IOptions["credentials"] {
  const { caFile, certFile, keyFile } = options;
  if (caFile === undefined && certFile === undefined && keyFile === undefined) return undefined;
  if (caFile === undefined) throw new Error("an etcd client certificate needs the CA file too (--etcd-cafile)");
  if ((certFile === undefined) !== (keyFile === undefined)) throw new Error("an etcd client certificate needs both its certificate and its key file");
  return {
    rootCertificate: readFile(caFile, "CA"),
    ...(certFile === undefined ? {} : { certChain: readFile(certFile, "certificate") }),
    ...(keyFile === undefined ? {} : { privateKey: readFile(keyFile, "key") }),
  };
}

function readFile(path: string, what: string): Buffer {
  try {
    return readFileSync(path);
  } catch (error) {
    throw new Error(`cannot read the etcd ${what} file ${path}: ${(error as Error).message}`);
  }
}
