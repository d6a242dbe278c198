import { GRPCResourceExhastedError, type Etcd3 } from "etcd3";
import { isUnreachable } from "./members.js";
import { keyAfter, prefixEnd } from "./range.js";

/** Entry is one key read from etcd. */
export interface Entry {
  readonly key: string;
  readonly value: Buffer;
  readonly modRevision: number;
}

/** Page is one range read of a paged read: entries in key order, all of them as of `revision`. */
export interface Page {
  readonly revision: number;
  readonly entries: readonly Entry[];
}

/** ReadOptions shape a paged read. */
export interface ReadOptions {
  /** Keys asked for per range; halved while etcd's answer is too large for one message. Default 10,000. */
  readonly pageKeys?: number;
  /** Read as of this revision instead of now (a continued list). */
  readonly revision?: number;
  /** Keys only, values left empty: cheaper when only the names matter. */
  readonly keysOnly?: boolean;
  /** The deadline of each range request. Default 30 s. */
  readonly timeoutMs?: number;
}

/**
 * DEFAULT_PAGE_KEYS is 10,000 keys, about 1 MB of typical records. etcd 3.4 walks every key left in the range for
 * each page it answers, so a read costs (keys / page) times the keys: 300,000 records read in 13.3 s in pages of
 * 1,000, 3.0 s in pages of 10,000 and 2.2 s in pages of 30,000 (2 cores, one member).
 */
export const DEFAULT_PAGE_KEYS = 10_000;

/** How often one read is asked again after meeting a member it could not reach: once per other member of three. */
const UNREACHABLE_RETRIES = 2;

/**
 * CompactedError says the revision a read or watch needs is no longer in etcd's history: start again from now.
 */
export class CompactedError extends Error {
  constructor(
    readonly revision: number,
    cause?: unknown,
  ) {
    super(`etcd revision ${revision} has been compacted`, { cause });
  }
}

/**
 * readPages reads every key under prefix in pages, all at the revision of the first page, so the pages together
 * are one consistent snapshot however large the prefix is. No range asks for more than pageKeys keys, and a page
 * that is still too large for one gRPC message (very large values) is asked for again with half as many.
 * A pinned revision that etcd compacts during the read ends it with CompactedError.
 */
export async function* readPages(client: Etcd3, prefix: string, options: ReadOptions = {}): AsyncGenerator<Page> {
  const end = prefixEnd(prefix);
  let start: Buffer = Buffer.from(prefix);
  let revision = options.revision;
  let pageKeys = Math.max(1, options.pageKeys ?? DEFAULT_PAGE_KEYS);
  let unreachable = 0;
  for (;;) {
    let response;
    try {
      response = await client.kv.range(
        { key: start, range_end: end, limit: pageKeys, revision: revision ?? 0, keys_only: options.keysOnly === true },
        { deadline: Date.now() + (options.timeoutMs ?? 30_000) },
      );
    } catch (error) {
      if (error instanceof GRPCResourceExhastedError && pageKeys > 1) {
        pageKeys = Math.ceil(pageKeys / 2);
        continue;
      }
      // A read changes nothing, so one that met a dead member is asked again at once: the client now passes that
      // member over (memberPolicy) and asks another, as etcd's own Go client retries reads.
      if (isUnreachable(error) && unreachable++ < UNREACHABLE_RETRIES) continue;
      if (revision !== undefined && isCompactedError(error)) throw new CompactedError(revision, error);
      throw error;
    }
    revision ??= Number(response.header.revision);
    const entries = response.kvs.map((kv) => ({ key: kv.key.toString("utf8"), value: kv.value, modRevision: Number(kv.mod_revision) }));
    yield { revision, entries };
    const last = response.kvs.at(-1);
    if (!response.more || last === undefined) return;
    start = keyAfter(last.key);
  }
}

/** Snapshot is a whole prefix as of one revision. */
export interface Snapshot {
  readonly revision: number;
  readonly entries: Entry[];
}

/** readPrefix collects readPages into one snapshot: for callers that need all of it at once. */
export async function readPrefix(client: Etcd3, prefix: string, options: ReadOptions = {}): Promise<Snapshot> {
  const entries: Entry[] = [];
  let revision = options.revision ?? 0;
  for await (const page of readPages(client, prefix, options)) {
    revision = page.revision; // every page has one, the first included, so this is never left at 0
    for (const entry of page.entries) entries.push(entry);
  }
  return { revision, entries };
}

/** currentRevision is etcd's revision now, read with one key-only range of at most one key. */
export async function currentRevision(client: Etcd3, key = "/"): Promise<number> {
  const response = await client.kv.range({ key: Buffer.from(key), limit: 1, keys_only: true });
  return Number(response.header.revision);
}

/** isCompactedError tells whether etcd refused a request because its revision was compacted. */
export function isCompactedError(error: unknown): boolean {
  return error instanceof Error && /compacted/i.test(error.message);
}
