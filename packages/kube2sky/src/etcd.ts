import { connectEtcd as connectClient, endpointsOf, readPages } from "@kube-dns/etcd-feed";
import type { Etcd3 } from "etcd3";
import type { Op } from "./apply.js";
import type { Fence } from "./fence.js";
import { NotLeaderError } from "./fence.js";

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

/** RecordStore is the seam between the reconciler and etcd: read a prefix, commit a transaction under a leader's fence. */
export interface RecordStore {
  /** readPrefix returns every key and value under prefix. */
  readPrefix(prefix: string): Promise<Map<string, string>>;
  /**
   * commit applies the operations atomically, all or none, and only while fence holds: otherwise it writes nothing and
   * rejects with NotLeaderError.
   */
  commit(ops: readonly Op[], fence: Fence): Promise<void>;
  close(): void;
}

/** etcdClient builds the etcd-feed client of config: every member of --etcd-server, with its TLS files. */
export function etcdClient(config: EtcdConfig): Etcd3 {
  return connectClient({ endpoints: endpointsOf(config.server), caFile: config.caFile, certFile: config.certFile, keyFile: config.keyFile });
}

/** connectEtcd builds a RecordStore over a client of its own, which close() closes. */
export function connectEtcd(config: EtcdConfig): RecordStore {
  return recordStore(etcdClient(config), config.mutationTimeoutMs, true);
}

/**
 * recordStore is a RecordStore over client: no library retries or circuit breaker (the reconciler retries with its
 * own backoff and recomputes what to write each time), reads in pages at one revision, so a large tree is one
 * consistent snapshot. Every transaction compares the fence's key with its create revision first, so a leader that
 * lost its key (its lease expired, its successor elected) writes nothing. With ownsClient, close() closes the client.
 */
export function recordStore(client: Etcd3, mutationTimeoutMs: number, ownsClient = false): RecordStore {
  const deadline = () => ({ deadline: Date.now() + mutationTimeoutMs });
  return {
    async readPrefix(prefix) {
      const values = new Map<string, string>();
      for await (const page of readPages(client, prefix, { timeoutMs: mutationTimeoutMs })) {
        for (const entry of page.entries) values.set(entry.key, entry.value.toString("utf8"));
      }
      return values;
    },
    async commit(ops, fence) {
      const success = ops.map((op) =>
        op.kind === "put"
          ? { request_put: { key: Buffer.from(op.key), value: Buffer.from(op.value) } }
          : { request_delete_range: { key: Buffer.from(op.key) } },
      );
      const compare = [{ key: Buffer.from(fence.key), target: "Create" as const, result: "Equal" as const, create_revision: String(fence.createRevision) }];
      const response = await client.kv.txn({ compare, success }, deadline());
      if (!response.succeeded) throw new NotLeaderError(fence);
    },
    close() {
      if (ownsClient) client.close();
    },
  };
}
