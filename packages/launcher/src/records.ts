import { Etcd3 } from "etcd3";
import type { StoredEntry } from "./tree.js";

/**
 * readRecords reads every key below prefix from the etcd at etcdServer in one range request, giving up after
 * timeoutMs (an etcd that is down must not hang the tool).
 */
export async function readRecords(etcdServer: string, prefix: string, timeoutMs: number): Promise<StoredEntry[]> {
  const client = new Etcd3({ hosts: etcdServer, dialTimeout: timeoutMs });
  try {
    const values = await client.getAll().prefix(`${prefix}/`).options({ deadline: Date.now() + timeoutMs }).strings();
    return Object.entries(values).map(([key, value]) => ({ key, value }));
  } finally {
    client.close();
  }
}
