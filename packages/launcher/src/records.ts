import { connectEtcd, endpointsOf, readPrefix } from "@kube-dns/etcd-feed";
import type { StoredEntry } from "./tree.js";

/** EtcdSource is where `kube-dns tree` reads: the client URLs, TLS files when etcd wants them, and a deadline. */
export interface EtcdSource {
  readonly etcdServer: string;
  readonly etcdCaFile?: string | undefined;
  readonly etcdCertFile?: string | undefined;
  readonly etcdKeyFile?: string | undefined;
  readonly timeoutMs: number;
}

/**
 * readRecords reads every key below prefix from etcd, in pages at one revision (a zone of any size), giving up when a
 * page takes longer than timeoutMs (an etcd that is down must not hang the tool).
 */
export async function readRecords(source: EtcdSource, prefix: string): Promise<StoredEntry[]> {
  const { timeoutMs } = source;
  const client = connectEtcd({
    endpoints: endpointsOf(source.etcdServer), caFile: source.etcdCaFile, certFile: source.etcdCertFile, keyFile: source.etcdKeyFile, dialTimeoutMs: timeoutMs,
  });
  try {
    const { entries } = await readPrefix(client, `${prefix}/`, { timeoutMs });
    return entries.map((entry) => ({ key: entry.key, value: entry.value.toString("utf8") }));
  } finally {
    client.close();
  }
}
