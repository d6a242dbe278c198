import { MAX_RECORDS_PER_NAME, nameFor, parseKey, parseRecord, type SkyDNSRecord } from "@kube-dns/msg";

/** StoredEntry is one record of a name, with the etcd key it was read from. */
export interface StoredEntry {
  readonly key: string;
  readonly record: SkyDNSRecord;
}

/** KeyChange is one etcd event: a put (value set) or a delete (value undefined). */
export interface KeyChange {
  readonly key: string;
  readonly value: string | Uint8Array | undefined;
}

/**
 * InvalidHandler hears about a key that was skipped or clamped: reason is a short label (a RecordFault, `bad_key`,
 * `too_many_records` or `ttl_clamped`), message the whole story. It is called once per key and reason, not on every
 * sighting, so a hostile value costs one log line however often it is read again.
 */
export type InvalidHandler = (key: string, reason: string, message: string) => void;

// A name's answer carries its first MAX_RECORDS_PER_NAME records by key; every record stays indexed.
export { MAX_RECORDS_PER_NAME };

interface Indexed {
  readonly owner: string;
  readonly leaf: string;
  /** The service name above an SRV owner `_<port>._<proto>.<service>`, when the owner has that shape. */
  readonly service: string | undefined;
  /** The parsed value; the JSON text is not kept. */
  readonly record: SkyDNSRecord;
}

/**
 * IndexStore is the in-memory copy of the records under the prefix. A leaf key `<dir>/<label>` is a record of
 * nameFor(<dir>) and of nameFor(<dir>/<label>); nothing deeper is listed for a name (v1.2 listed whole
 * subtrees). Names that only have keys below them exist as empty
 * non-terminals (RFC 8020: NODATA, not NXDOMAIN). Only the watch writes to it.
 */
export class IndexStore {
  private readonly entries = new Map<string, Indexed>();
  /** The sorted records of names holding more than MAX_RECORDS_PER_NAME, dropped when they change. */
  private readonly crowded = new Map<string, StoredEntry[]>();
  /** Crowded names that lost records in the change being applied: keys left out of their answers may now be in. */
  private readonly shrunk = new Set<string>();
  /** The reason last reported for each key skipped or clamped, so that each is reported once. */
  private readonly reported = new Map<string, string>();
  private readonly byName = new Map<string, Filed>();
  /** The records of the `_<port>._<proto>` names right below each service name, for SRV on the bare name. */
  private readonly srvByService = new Map<string, Filed>();
  /** How many leaf names lie at or below each name. */
  private readonly below = new Map<string, number>();
  /** Set once the first full read has been applied. */
  loaded = false;
  /** The etcd revision the index reflects. */
  revision = 0;
  /** The SOA serial: the unix time of the last change. */
  serial = 0;

  constructor(
    private readonly prefix: string,
    private readonly onInvalid: InvalidHandler = () => {},
  ) {}

  /** recordCount is the number of records held. */
  get recordCount(): number {
    return this.entries.size;
  }

  /**
   * recordsAt returns the records of a lowercase FQDN, ordered by key: the first MAX_RECORDS_PER_NAME of them, so
   * that one answer stays bounded however many keys an operator puts under one name. The others are still records of
   * their own names (`<label>.<name>`).
   */
  recordsAt(name: string): readonly StoredEntry[] {
    const records = this.byName.get(name);
    if (sizeOf(records) <= MAX_RECORDS_PER_NAME) return sortedEntries(records);
    let first = this.crowded.get(name);
    if (first === undefined) this.crowded.set(name, (first = sortedEntries(records).slice(0, MAX_RECORDS_PER_NAME)));
    return first;
  }

  /**
   * srvBelow returns the records of the `_<port>._<proto>.<name>` names (v1.2's SRV layout, spec 2.3.2 and 2.4.2),
   * ordered by key: what an SRV query for the bare service name answers from.
   */
  srvBelow(name: string): StoredEntry[] {
    // Each port's name is capped, but a service may have many ports: the bare name's answer is capped too.
    return sortedEntries(this.srvByService.get(name)).slice(0, MAX_RECORDS_PER_NAME);
  }

  /** flagged counts the keys currently skipped or clamped, by reason. */
  flagged(): Map<string, number> {
    const counts = new Map<string, number>();
    for (const reason of this.reported.values()) counts.set(reason, (counts.get(reason) ?? 0) + 1);
    return counts;
  }

  /** exists tells whether a name holds records or lies above a name that does. */
  exists(name: string): boolean {
    return this.below.has(name);
  }

  /** owners yields the name each record is stored under (its key's directory), once per record. */
  *owners(): IterableIterator<string> {
    for (const entry of this.entries.values()) yield entry.owner;
  }

  /** names lists every name holding records (for wildcard matching). */
  names(): IterableIterator<string> {
    return this.byName.keys();
  }

  /**
   * apply applies the events of one or more whole etcd revisions at once and returns the names whose
   * records or existence changed, so that a query never sees half of a transaction.
   */
  apply(changes: readonly KeyChange[], revision: number, nowSeconds: number): Set<string> {
    const changed = new Set<string>();
    for (const change of changes) {
      if (change.value === undefined) this.forget(change.key, changed);
      else this.put(change.key, change.value, changed);
    }
    this.finish(changed, revision, nowSeconds);
    return changed;
  }

  /**
   * replaceAll makes the index equal to a full read as of revision (the first load, or a reload when the watch
   * could not go on), as one change: only the names that differ are reported.
   */
  replaceAll(all: readonly KeyChange[], revision: number, nowSeconds: number): Set<string> {
    const changed = new Set<string>();
    const present = new Set<string>();
    for (const kv of all) present.add(kv.key);
    for (const key of [...this.entries.keys(), ...this.reported.keys()]) if (!present.has(key)) this.forget(key, changed);
    for (const kv of all) if (kv.value !== undefined) this.put(kv.key, kv.value, changed);
    this.loaded = true;
    this.revision = revision;
    this.touch(changed, nowSeconds);
    return changed;
  }

  /** advance records that nothing under the prefix changed up to revision (an etcd progress notification). */
  advance(revision: number): void {
    this.revision = Math.max(this.revision, revision);
  }

  private finish(changed: Set<string>, revision: number, nowSeconds: number): void {
    this.revision = Math.max(this.revision, revision);
    this.touch(changed, nowSeconds);
  }

  private touch(changed: Set<string>, nowSeconds: number): void {
    // Once per change, not per deleted key: a revision deleting 150,000 keys of one name sorts it at most once.
    for (const name of this.shrunk) {
      for (const { key } of this.recordsAt(name)) if (this.reported.get(key) === "too_many_records") this.reported.delete(key);
    }
    this.shrunk.clear();
    if (changed.size > 0 || this.serial === 0) this.serial = Math.max(nowSeconds, this.serial);
  }

  private put(key: string, value: string | Uint8Array, changed: Set<string>): void {
    let owner: string;
    let leaf: string;
    try {
      owner = parseKey(key, this.prefix).name;
      leaf = nameFor(key, this.prefix);
    } catch (error) {
      this.remove(key, changed);
      this.report(key, "bad_key", (error as Error).message);
      return;
    }
    const parsed = parseRecord(value, key);
    if (!parsed.ok) {
      this.remove(key, changed);
      this.report(key, parsed.error.reason, parsed.error.message);
      return;
    }
    // The same record again (a reload, a rewrite of an equal value) changes no name.
    const held = this.entries.get(key);
    if (held !== undefined && sameRecord(held.record, parsed.record)) return;
    this.remove(key, changed);
    const entry: Indexed = { owner, leaf, service: serviceOfSrvOwner(owner), record: parsed.record };
    const crowded = this.full(owner) ? owner : this.full(leaf) ? leaf : undefined;
    if (crowded !== undefined) {
      // Reported when it arrives past the cap: a full read (in key order) reports exactly the keys left out.
      this.report(key, "too_many_records", `${key}: ${crowded} has ${MAX_RECORDS_PER_NAME} records already; its answers carry the first ${MAX_RECORDS_PER_NAME} by key`);
    } else if (parsed.clamped === undefined) this.reported.delete(key);
    else this.report(key, "ttl_clamped", `${key}: ${parsed.clamped}`);
    this.insert(key, entry, changed);
  }

  private insert(key: string, entry: Indexed, changed: Set<string>): void {
    const { owner, leaf, service, record } = entry;
    this.entries.set(key, entry);
    for (const name of [owner, leaf]) {
      file(this.byName, name, key, record);
      this.crowded.delete(name);
    }
    changed.add(owner).add(leaf);
    if (service !== undefined) {
      // The bare name's SRV answer is built from this record, so its prepared replies must go when it changes.
      file(this.srvByService, service, key, record);
      changed.add(service);
    }
    this.count(leaf, 1, changed);
  }

  private full(name: string): boolean {
    return sizeOf(this.byName.get(name)) >= MAX_RECORDS_PER_NAME;
  }

  private report(key: string, reason: string, message: string): void {
    if (this.reported.get(key) === reason) return;
    this.reported.set(key, reason);
    this.onInvalid(key, reason, message);
  }

  // A deleted key: its record goes, and so does anything remembered about it.
  private forget(key: string, changed: Set<string>): void {
    this.remove(key, changed);
    this.reported.delete(key);
  }

  private remove(key: string, changed: Set<string>): void {
    const entry = this.entries.get(key);
    if (entry === undefined) return;
    this.entries.delete(key);
    for (const name of [entry.owner, entry.leaf]) {
      unfile(this.byName, name, key);
      this.crowded.delete(name);
      if (sizeOf(this.byName.get(name)) >= MAX_RECORDS_PER_NAME) this.shrunk.add(name);
    }
    changed.add(entry.owner).add(entry.leaf);
    if (entry.service !== undefined) {
      unfile(this.srvByService, entry.service, key);
      changed.add(entry.service);
    }
    this.count(entry.leaf, -1, changed);
  }

  // Walks from the leaf name up to the root, adjusting the count of names at or below each ancestor.
  private count(leaf: string, delta: 1 | -1, changed: Set<string>): void {
    let name = leaf;
    for (;;) {
      const next = (this.below.get(name) ?? 0) + delta;
      if (next <= 0) this.below.delete(name);
      else this.below.set(name, next);
      if (next === 0 || (delta === 1 && next === 1)) changed.add(name);
      if (name === ".") return;
      const dot = name.indexOf(".");
      name = dot === name.length - 1 ? "." : name.slice(dot + 1);
    }
  }
}

// Records are flat objects of strings, numbers and booleans, their fields set in one order by parseRecord.
function sameRecord(a: SkyDNSRecord, b: SkyDNSRecord): boolean {
  const fields = Object.keys(a) as (keyof SkyDNSRecord)[];
  return fields.length === Object.keys(b).length && fields.every((field) => a[field] === b[field]);
}

/**
 * Filed is the records of one name: a name holding one record (most do: every leaf, most owners) keeps it alone, one
 * holding more a map by key. A Map per name was most of the index's heap (60,000 of them at 10,000 services).
 */
type Filed = StoredEntry | Map<string, SkyDNSRecord>;

function sizeOf(records: Filed | undefined): number {
  return records === undefined ? 0 : records instanceof Map ? records.size : 1;
}

function sortedEntries(records: Filed | undefined): StoredEntry[] {
  if (records === undefined) return [];
  if (!(records instanceof Map)) return [records];
  const list: StoredEntry[] = [];
  for (const [key, record] of records) list.push({ key, record });
  return list.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}

function file(table: Map<string, Filed>, name: string, key: string, record: SkyDNSRecord): void {
  const held = table.get(name);
  if (held instanceof Map) held.set(key, record);
  else if (held === undefined || held.key === key) table.set(name, { key, record });
  else table.set(name, new Map([[held.key, held.record], [key, record]]));
}

function unfile(table: Map<string, Filed>, name: string, key: string): void {
  const held = table.get(name);
  if (held === undefined) return;
  if (!(held instanceof Map)) {
    if (held.key === key) table.delete(name);
    return;
  }
  held.delete(key);
  if (held.size > 1) return;
  const [only] = held;
  if (only === undefined) table.delete(name);
  else table.set(name, { key: only[0], record: only[1] });
}

// `_http._tcp.web.default.svc.cluster.local.` -> `web.default.svc.cluster.local.`; undefined for other names.
function serviceOfSrvOwner(owner: string): string | undefined {
  if (owner.charCodeAt(0) !== 95 /* _ */) return undefined;
  const second = owner.indexOf(".") + 1;
  if (owner.charCodeAt(second) !== 95) return undefined;
  const rest = owner.indexOf(".", second) + 1;
  return rest > 0 && rest < owner.length ? owner.slice(rest) : undefined;
}
