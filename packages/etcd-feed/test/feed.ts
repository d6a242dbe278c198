import type { Etcd3 } from "etcd3";

/** putMany writes keys `<prefix><i>` for i in [from, to) with value(i), in transactions of 100, 8 in flight. */
export async function putMany(client: Etcd3, prefix: string, from: number, to: number, value: (i: number) => string): Promise<number> {
  let revision = 0;
  let next = from;
  const worker = async (): Promise<void> => {
    while (next < to) {
      const start = next;
      next = Math.min(next + 100, to);
      const success = [];
      for (let i = start; i < next; i++) success.push({ request_put: { key: Buffer.from(`${prefix}${i}`), value: Buffer.from(value(i)) } });
      const response = await client.kv.txn({ compare: [], success, failure: [] });
      revision = Math.max(revision, Number(response.header.revision));
    }
  };
  await Promise.all(Array.from({ length: 8 }, worker));
  return revision;
}

/** Deferred is a promise with its resolve at hand. */
export interface Deferred<T> {
  readonly promise: Promise<T>;
  resolve(value: T): void;
}

/** deferred makes a Deferred. */
export function deferred<T>(): Deferred<T> {
  let resolve: (value: T) => void = () => {};
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}
