import { readFileSync } from "node:fs";
import { noop } from "cockatiel";
import { Etcd3 } from "etcd3";
import type { Op } from "./apply.js";

/** EtcdConfig says how to reach etcd. */
export interface EtcdConfig {
  readonly server: string;
  /** The deadline of one read or transaction. */
  readonly mutationTimeoutMs: number;
  readonly caFile?: string | undefined;
  readonly certFile?: string | undefined;
  readonly keyFile?: string | undefined;
}

/** RecordStore is the seam between the reconciler and etcd: read a prefix, commit a transaction. */
export interface RecordStore {
  /** readPrefix returns every key and value under prefix. */
  readPrefix(prefix: string): Promise<Map<string, string>>;
  /** commit applies the operations atomically, all or none. */
  commit(ops: readonly Op[]): Promise<void>;
  close(): void;
}

/**
 * connectEtcd builds a RecordStore over etcd's v3 API. The client's own retries and circuit breaker are off:
 * the reconciler retries with its own backoff and recomputes what to write each time.
 */
export function connectEtcd(config: EtcdConfig): RecordStore {
  const client = new Etcd3({
    hosts: config.server,
    credentials: credentialsFor(config),
    faultHandling: { host: () => noop, global: noop },
    // Reconnect soon after etcd comes back rather than after gRPC's default of up to two minutes.
    grpcOptions: {
      "grpc.initial_reconnect_backoff_ms": 100,
      "grpc.max_reconnect_backoff_ms": 2000,
      // etcd's own request limit is 1.5 MiB, but a range answer can be larger than gRPC's default 4 MiB.
      "grpc.max_receive_message_length": 64 * 1024 * 1024,
    },
  });
  const deadline = () => ({ deadline: Date.now() + config.mutationTimeoutMs });
  return {
    async readPrefix(prefix) {
      // Read in pages, all at the revision of the first page, so a large tree is one consistent snapshot.
      const values = new Map<string, string>();
      const end = prefixEnd(prefix);
      let start = Buffer.from(prefix);
      let revision: string | undefined;
      for (let page = 0; page < MAX_PAGES; page++) {
        const response = await client.kv.range({ key: start, range_end: end, limit: PAGE_KEYS, ...(revision ? { revision } : {}) }, deadline());
        revision ??= response.header.revision;
        for (const kv of response.kvs) values.set(kv.key.toString("utf8"), kv.value.toString("utf8"));
        const last = response.kvs.at(-1);
        if (!response.more || last === undefined) return values;
        start = Buffer.concat([last.key, Buffer.from([0])]);
      }
      throw new Error(`more than ${MAX_PAGES * PAGE_KEYS} keys under ${prefix}`);
    },
    async commit(ops) {
      const success = ops.map((op) =>
        op.kind === "put"
          ? { request_put: { key: Buffer.from(op.key), value: Buffer.from(op.value) } }
          : { request_delete_range: { key: Buffer.from(op.key) } },
      );
      await client.kv.txn({ compare: [], success }, deadline());
    },
    close() {
      client.close();
    },
  };
}

const PAGE_KEYS = 1000;
const MAX_PAGES = 10_000;

// The end of the key range holding every key that starts with prefix: its last byte plus one.
function prefixEnd(prefix: string): Buffer {
  const end = Buffer.from(prefix);
  end[end.length - 1] = (end[end.length - 1] ?? 0) + 1;
  return end;
}

function credentialsFor(config: EtcdConfig): { rootCertificate: Buffer; privateKey?: Buffer; certChain?: Buffer } | undefined {
  if (config.caFile === undefined && config.certFile === undefined) return undefined;
  if (config.caFile === undefined) throw new Error("--etcd-certfile needs --etcd-cafile");
  return {
    rootCertificate: readFileSync(config.caFile),
    ...(config.keyFile === undefined ? {} : { privateKey: readFileSync(config.keyFile) }),
    ...(config.certFile === undefined ? {} : { certChain: readFileSync(config.certFile) }),
  };
}
