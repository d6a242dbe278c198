/** Cached is a value found in a TtlCache, with how long ago it was stored. */
export interface Cached<V> {
  readonly value: V;
  readonly ageSeconds: number;
}

interface Slot<V> {
  readonly value: V;
  readonly storedAtMs: number;
  readonly expiresAtMs: number;
}

/**
 * TtlCache is a bounded map whose entries expire after their TTL. When full, the least recently used entry
 * goes (a Map keeps insertion order; a hit re-inserts). The clock is injected for tests.
 */
export class TtlCache<V> {
  private readonly slots = new Map<string, Slot<V>>();

  constructor(
    private readonly maxEntries: number,
    private readonly nowMs: () => number = Date.now,
    /** Hears of each live entry pushed out to make room (not of expired ones). */
    private readonly onEvict: (value: V) => void = () => {},
  ) {}

  /** size is the number of entries held, expired ones included until they are next touched. */
  get size(): number {
    return this.slots.size;
  }

  /** values lists the values held, expired ones included until they are next touched (for metrics at scrape time). */
  values(): IterableIterator<V> {
    const slots = this.slots.values();
    return (function* () {
      for (const slot of slots) yield slot.value;
    })();
  }

  /** get returns a live entry, or undefined (and forgets it) when missing or expired. */
  get(key: string): Cached<V> | undefined {
    const slot = this.slots.get(key);
    if (slot === undefined) return undefined;
    const now = this.nowMs();
    this.slots.delete(key);
    if (now >= slot.expiresAtMs) return undefined;
    this.slots.set(key, slot);
    return { value: slot.value, ageSeconds: Math.floor((now - slot.storedAtMs) / 1000) };
  }

  /** set stores a value for ttlSeconds; a TTL of 0 or a cache of size 0 stores nothing. */
  set(key: string, value: V, ttlSeconds: number): void {
    if (this.maxEntries <= 0 || ttlSeconds <= 0) return;
    const now = this.nowMs();
    this.slots.delete(key);
    while (this.slots.size >= this.maxEntries) {
      const oldest = this.slots.entries().next();
      if (oldest.done === true) break;
      const [oldKey, slot] = oldest.value;
      this.slots.delete(oldKey);
      if (now < slot.expiresAtMs) this.onEvict(slot.value);
    }
    this.slots.set(key, { value, storedAtMs: now, expiresAtMs: now + ttlSeconds * 1000 });
  }
}
