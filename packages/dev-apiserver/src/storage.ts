import type { Etcd3, IKeyValue, IRequestOp } from "etcd3";
import { decode, encode } from "./codec.js";
import type { KubeObject } from "./types.js";

/** ListPage is one range read: objects in key order and the revision it was read at. */
export interface ListPage {
  readonly items: KubeObject[];
  readonly keys: string[];
  readonly revision: number;
  /** True when the range holds more keys after the last one returned. */
  readonly more: boolean;
}

/** ListOptions bounds a range read; revision reads an older snapshot (a continued list). */
export interface ListOptions {
  readonly startKey?: string;
  readonly limit?: number;
  readonly revision?: number;
  /** Without it a value that is not a JSON object fails the list; with it the value is left out and reported here. */
  readonly onUndecodable?: (key: string, error: Error) => void;
}

/** WriteResult is the outcome of a conditional write; `failed` names what stopped it. */
export type WriteResult =
  | { readonly ok: true; readonly revision: number }
  | { readonly ok: false; readonly failed: "exists" | "missing" | "modified" | "claimed"; readonly current?: KubeObject };

/** Claims are keys a write reserves (must not exist yet) and releases (deleted with it): allocated IPs. */
export interface Claims {
  readonly claim?: readonly string[];
  readonly release?: readonly string[];
}

const buf = (key: string): Buffer => Buffer.from(key);

/** rangeEnd is the etcd range end that covers every key starting with prefix. */
export function rangeEnd(prefix: string): Buffer {
  const end = Buffer.from(prefix);
  for (let i = end.length - 1; i >= 0; i--) {
    const byte = end[i] as number;
    if (byte < 0xff) {
      end[i] = byte + 1;
      return end.subarray(0, i + 1);
    }
  }
  return Buffer.from([0]);
}

/**
 * Storage keeps API objects in etcd the way kube-apiserver does: one key per object, writes as
 * transactions guarded by the key's version or modification revision.
 */
export class Storage {
  constructor(readonly client: Etcd3) {}

  /**
   * get reads one object, or undefined when the key does not exist. A serializable read is answered by
   * the member at hand without a consensus round: cheaper, and possibly a little stale.
   */
  async get(key: string, serializable = false): Promise<KubeObject | undefined> {
    const response = await this.client.kv.range({ key: buf(key), serializable });
    const kv = response.kvs[0];
    return kv === undefined ? undefined : decode(kv.value, kv.mod_revision);
  }

  /** list reads the keys under prefix in key order, from startKey, at most limit of them. */
  async list(prefix: string, options: ListOptions = {}): Promise<ListPage> {
    const response = await this.client.kv.range({
      key: buf(options.startKey ?? prefix),
      range_end: rangeEnd(prefix),
      limit: options.limit ?? 0,
      revision: options.revision ?? 0,
    });
    const items: KubeObject[] = [];
    const keys: string[] = [];
    for (const kv of response.kvs) {
      const key = kv.key.toString("utf8");
      try {
        items.push(decode(kv.value, kv.mod_revision));
        keys.push(key);
      } catch (error) {
        if (options.onUndecodable === undefined) throw error;
        options.onUndecodable(key, error as Error);
      }
    }
    return { items, keys, revision: Number(response.header.revision), more: response.more };
  }

  /** keys lists the keys under prefix (claims such as allocated IPs). */
  async keys(prefix: string): Promise<string[]> {
    const response = await this.client.kv.range({ key: buf(prefix), range_end: rangeEnd(prefix), keys_only: true });
    return response.kvs.map((kv) => kv.key.toString("utf8"));
  }

  /** create writes a new key; it fails when the key or any claimed key already exists. */
  async create(key: string, object: KubeObject, claims: Claims = {}): Promise<WriteResult> {
    const claimed = claims.claim ?? [];
    const response = await this.client.kv.txn({
      compare: [key, ...claimed].map((k) => ({ key: buf(k), target: "Version", result: "Equal", version: 0 })),
      success: [{ request_put: { key: buf(key), value: encode(object) } }, ...claimed.map((k) => put(k, key))],
      failure: [{ request_range: { key: buf(key) } }],
    });
    if (response.succeeded) return { ok: true, revision: Number(response.header.revision) };
    const existing = firstKv(response.responses[0]?.response_range.kvs);
    if (existing !== undefined) return { ok: false, failed: "exists", current: decode(existing.value, existing.mod_revision) };
    return { ok: false, failed: "claimed" };
  }

  /** update replaces a key whose modification revision is still expectedRevision. */
  async update(key: string, object: KubeObject, expectedRevision: number, claims: Claims = {}): Promise<WriteResult> {
    const claimed = claims.claim ?? [];
    const response = await this.client.kv.txn({
      compare: [
        { key: buf(key), target: "Mod", result: "Equal", mod_revision: expectedRevision },
        ...claimed.map((k) => ({ key: buf(k), target: "Version" as const, result: "Equal" as const, version: 0 })),
      ],
      success: [
        { request_put: { key: buf(key), value: encode(object) } },
        ...claimed.map((k) => put(k, key)),
        ...(claims.release ?? []).map(remove),
      ],
      failure: [{ request_range: { key: buf(key) } }],
    });
    if (response.succeeded) return { ok: true, revision: Number(response.header.revision) };
    return failure(firstKv(response.responses[0]?.response_range.kvs), expectedRevision);
  }

  /** delete removes a key whose modification revision is still expectedRevision, with its claims. */
  async delete(key: string, expectedRevision: number, claims: Claims = {}): Promise<WriteResult> {
    const response = await this.client.kv.txn({
      compare: [{ key: buf(key), target: "Mod", result: "Equal", mod_revision: expectedRevision }],
      success: [remove(key), ...(claims.release ?? []).map(remove)],
      failure: [{ request_range: { key: buf(key) } }],
    });
    if (response.succeeded) return { ok: true, revision: Number(response.header.revision) };
    return failure(firstKv(response.responses[0]?.response_range.kvs), expectedRevision);
  }

  /** deletePrefix removes every key under prefix (a namespace's contents). */
  async deletePrefix(prefix: string): Promise<void> {
    await this.client.kv.deleteRange({ key: buf(prefix), range_end: rangeEnd(prefix) });
  }

  /** revision is etcd's current revision. */
  async revision(): Promise<number> {
    const response = await this.client.kv.range({ key: buf("/registry/"), limit: 1, keys_only: true });
    return Number(response.header.revision);
  }
}

function put(key: string, owner: string): IRequestOp {
  return { request_put: { key: buf(key), value: buf(owner) } };
}

function remove(key: string): IRequestOp {
  return { request_delete_range: { key: buf(key) } };
}

function firstKv(kvs: IKeyValue[] | undefined): IKeyValue | undefined {
  return kvs?.[0];
}

function failure(kv: IKeyValue | undefined, expectedRevision: number): WriteResult {
  if (kv === undefined) return { ok: false, failed: "missing" };
  const current = decode(kv.value, kv.mod_revision);
  return Number(kv.mod_revision) === expectedRevision ? { ok: false, failed: "claimed", current } : { ok: false, failed: "modified", current };
}
