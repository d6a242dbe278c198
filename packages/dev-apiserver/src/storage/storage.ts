import { currentRevision, DEFAULT_PAGE_KEYS, keyAfter, prefixEnd, readPages, type Entry } from "@kube-dns/etcd-feed";
import { GRPCResourceExhastedError, type Etcd3, type IKeyValue, type IRangeResponse, type IRequestOp } from "etcd3";
import { decode, encode } from "./value.js";
import type { KubeObject } from "../api/types.js";

/**
 * PAGE_KEYS is the most keys one etcd range of ours asks for, so that no read grows with the cluster: etcd-feed's
 * page (a page of stored objects, half a kilobyte for a service, stays within a few megabytes, and one that does not
 * fit a message is asked for again smaller). Not much less: etcd 3.4 walks the rest of the range for every page, so
 * small pages make a long read slow.
 */
export const PAGE_KEYS = DEFAULT_PAGE_KEYS;

/** ObjectPage is a run of objects in key order, with their keys, as of one revision. */
export interface ObjectPage {
  readonly items: KubeObject[];
  readonly keys: string[];
  readonly revision: number;
}

/** ListPage is what list returns: an ObjectPage and whether the prefix holds more keys after its last one. */
export interface ListPage extends ObjectPage {
  readonly more: boolean;
}

/** PageOptions shape a read: an older snapshot (a continued list), and what to do with a value that is not an object. */
export interface PageOptions {
  readonly revision?: number;
  /** Without it a value that is not a JSON object fails the read; with it the value is left out and reported here. */
  readonly onUndecodable?: (key: string, error: Error) => void;
}

/** ListOptions bound a list: from startKey on, at most limit keys. */
export interface ListOptions extends PageOptions {
  readonly startKey?: string;
  readonly limit?: number;
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

/**
 * Storage keeps API objects in etcd the way kube-apiserver does: one key per object, writes as
 * transactions guarded by the key's version or modification revision. Every read of a prefix is paged.
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

  /**
   * pages reads every object under prefix, PAGE_KEYS keys at a time, all as of one revision (the first page's, or
   * the one given), so together they are a consistent snapshot however large the prefix. Throws etcd-feed's
   * CompactedError when that revision is compacted before the last page.
   */
  async *pages(prefix: string, options: PageOptions = {}): AsyncGenerator<ObjectPage> {
    for await (const page of readPages(this.client, prefix, { pageKeys: PAGE_KEYS, revision: options.revision })) {
      yield { ...decodeAll(page.entries, options.onUndecodable), revision: page.revision };
    }
  }

  /**
   * list reads objects under prefix in key order: all of them (through pages) when given neither startKey nor
   * limit, otherwise at most limit from startKey on, in ranges of at most PAGE_KEYS keys at one revision.
   */
  async list(prefix: string, options: ListOptions = {}): Promise<ListPage> {
    if (options.startKey !== undefined || options.limit !== undefined) return this.listFrom(prefix, options);
    const items: KubeObject[] = [];
    const keys: string[] = [];
    let revision = 0;
    for await (const page of this.pages(prefix, options)) {
      items.push(...page.items);
      keys.push(...page.keys);
      revision = page.revision;
    }
    return { items, keys, revision, more: false };
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
    await this.client.kv.deleteRange({ key: buf(prefix), range_end: prefixEnd(prefix) });
  }

  /** revision is etcd's current revision. */
  revision(): Promise<number> {
    return currentRevision(this.client, "/registry/");
  }

  // A limited or continued list. readPages always starts at the prefix; a continue token starts mid-way.
  private async listFrom(prefix: string, options: ListOptions): Promise<ListPage> {
    const end = prefixEnd(prefix);
    const wanted = options.limit ?? Number.POSITIVE_INFINITY;
    let start = buf(options.startKey ?? prefix);
    let revision = options.revision;
    const items: KubeObject[] = [];
    const keys: string[] = [];
    let read = 0;
    let more = true;
    while (more && read < wanted) {
      const response = await this.range(start, end, Math.min(PAGE_KEYS, wanted - read), revision);
      revision ??= Number(response.header.revision);
      const page = decodeAll(response.kvs.map(toEntry), options.onUndecodable);
      items.push(...page.items);
      keys.push(...page.keys);
      read += response.kvs.length;
      more = response.more;
      const last = response.kvs.at(-1);
      if (last === undefined) break;
      start = keyAfter(last.key);
    }
    return { items, keys, revision: revision ?? 0, more };
  }

  private async range(start: Buffer, end: Buffer, limit: number, revision: number | undefined): Promise<IRangeResponse> {
    for (let keys = limit; ; keys = Math.ceil(keys / 2)) {
      try {
        return await this.client.kv.range({ key: start, range_end: end, limit: keys, revision: revision ?? 0 });
      } catch (error) {
        // As readPages does: a page too large for one gRPC message is asked for again with half as many keys.
        if (!(error instanceof GRPCResourceExhastedError) || keys === 1) throw error;
      }
    }
  }
}

function toEntry(kv: IKeyValue): Entry {
  return { key: kv.key.toString("utf8"), value: kv.value, modRevision: Number(kv.mod_revision) };
}

function decodeAll(entries: readonly Entry[], onUndecodable: PageOptions["onUndecodable"]): { items: KubeObject[]; keys: string[] } {
  const items: KubeObject[] = [];
  const keys: string[] = [];
  for (const entry of entries) {
    try {
      items.push(decode(entry.value, entry.modRevision));
      keys.push(entry.key);
    } catch (error) {
      if (onUndecodable === undefined) throw error;
      onUndecodable(entry.key, error as Error);
    }
  }
  return { items, keys };
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
