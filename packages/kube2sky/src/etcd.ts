import { connectEtcd as connectClient, endpointsOf, readPages } from "@kube-dns/etcd-feed";
import type { Op } from "./apply.js";

/** EtcdConfig says how to reach etcd. */
export interface EtcdConfig {
  /** One or more client URLs, comma separated; the client moves to another member when one fails. */
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
 * connectEtcd builds a RecordStore over etcd's v3 API with etcd-feed's client: no library retries or circuit breaker
 * (the reconciler retries with its own backoff and recomputes what to write each time), reads in pages at one
 * revision, so a large tree is one consistent snapshot.
 */
export function connectEtcd(config: EtcdConfig): RecordStore {
  const client = connectClient({ endpoints: endpointsOf(config.server), caFile: config.caFile, certFile: config.certFile, keyFile: config.keyFile });
  const deadline = () => ({ deadline: Date.now() + config.mutationTimeoutMs });
  return {
    async readPrefix(prefix) {
      const values = new Map<string, string>();
      for await (const page of readPages(client, prefix, { timeoutMs: config.mutationTimeoutMs })) {
        for (const entry of page.entries) values.set(entry.key, entry.value.toString("utf8"));
      }
      return values;
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
