import { connectEtcd, type EtcdClientOptions, readPages } from "@kube-dns/etcd-feed";
import { MAX_RECORDS_PER_NAME, pathFor } from "@kube-dns/msg";

/** EtcdSource is the etcd to read (the one client shape of @kube-dns/etcd-feed), where the records live, and a deadline. */
export interface EtcdSource extends EtcdClientOptions {
  readonly prefix: string;
  readonly timeoutMs: number;
}

/** StoredKey is one etcd key and its value as stored. */
export interface StoredKey {
  readonly key: string;
  readonly value: string;
}

/** RecordReader reads from etcd what explain shows: a name's record keys, and the service names of the cluster domain. */
export interface RecordReader {
  recordKeys(name: string): Promise<StoredKey[]>;
  /** serviceKeys lists keys (no values) under `svc.<domain>`, at most limit of them, and whether that was all. */
  serviceKeys(domain: string, limit: number): Promise<{ keys: string[]; complete: boolean }>;
  close(): void;
}

/**
 * openRecordReader connects to etcd. A name's records are the keys skydns reads for it: the key at the name's own
 * path (a leaf: `web-0.web...` is `.../web/web-0`) and the keys one level below it (`.../my-nginx/<id>`), at most
 * the first MAX_RECORDS_PER_NAME keys below it, the cap of a name's answer.
 */
export function openRecordReader(source: EtcdSource): RecordReader {
  const client = connectEtcd({ dialTimeoutMs: source.timeoutMs, ...source });
  // One range of at most limit + 1 keys: the first limit of them, and whether there were no more.
  const firstPage = async (prefix: string, limit: number, keysOnly: boolean): Promise<{ keys: StoredKey[]; complete: boolean }> => {
    const pages = readPages(client, prefix, { pageKeys: limit + 1, keysOnly, timeoutMs: source.timeoutMs });
    const first = await pages.next();
    await pages.return(undefined);
    const entries = first.done === true ? [] : first.value.entries;
    return { keys: entries.slice(0, limit).map((entry) => ({ key: entry.key, value: entry.value.toString("utf8") })), complete: entries.length <= limit };
  };
  return {
    async recordKeys(name) {
      const path = pathFor(name, source.prefix);
      const exact = await client.kv.range({ key: Buffer.from(path) }, { deadline: Date.now() + source.timeoutMs });
      const own = exact.kvs[0]?.value;
      const below = await firstPage(`${path}/`, MAX_RECORDS_PER_NAME, false);
      const children = below.keys.filter((entry) => !entry.key.slice(path.length + 1).includes("/"));
      return [...(own === undefined ? [] : [{ key: path, value: own.toString("utf8") }]), ...children];
    },
    async serviceKeys(domain, limit) {
      const { keys, complete } = await firstPage(`${pathFor(`svc.${domain}`, source.prefix)}/`, limit, true);
      return { keys: keys.map((entry) => entry.key), complete };
    },
    close() {
      client.close();
    },
  };
}
