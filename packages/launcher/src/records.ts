import { connectEtcd, readPrefix } from "@kube-dns/etcd-feed";
import type { StoredEntry } from "./tree.js";

/**
 * readRecords reads every key below prefix from the etcd at etcdServer, in pages at one revision (a zone of any size),
 * giving up when a page takes longer than timeoutMs (an etcd that is down must not hang the tool).
 */
export async function readRecords(etcdServer: string, prefix: string, timeoutMs: number): Promise<StoredEntry[]> {
  const client = connectEtcd({ endpoints: etcdServer.split(","), dialTimeoutMs: timeoutMs });
  try {
    const { entries } = await readPrefix(client, `${prefix}/`, { timeoutMs });
    return entries.map((entry) => ({ key: entry.key, value: entry.value.toString("utf8") }));
  } finally {
    client.close();
  }
}
