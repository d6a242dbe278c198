import { type EtcdConfig, etcdClient } from "../src/etcd.js";
import type { Fence } from "../src/fence.js";

/**
 * fenceOn writes a key of its own into etcd (a client URL, or a whole EtcdConfig for TLS) and returns it as a fence,
 * for tests that drive a Reconciler or a RecordStore without an election: every write under it commits until the
 * key is deleted or written anew.
 */
export async function fenceOn(etcd: string | EtcdConfig, key = "/kube2sky/test-fence"): Promise<Fence> {
  const client = etcdClient(typeof etcd === "string" ? { server: etcd, mutationTimeoutMs: 5000 } : etcd);
  try {
    await client.delete().key(key).exec();
    const response = await client.put(key).value("test").exec();
    return { key, createRevision: Number(response.header.revision) };
  } finally {
    client.close();
  }
}
