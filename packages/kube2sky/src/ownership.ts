import { hash } from "node:crypto";
import { CONFIG_KEY } from "./config-key.js";
import { parseUnit, unitId, type UnitId } from "./unit.js";

/**
 * Where kube2sky records what it wrote: `/kube2sky/owners/<unit>` = JSON list of the etcd keys that unit owns,
 * written in the same transaction as the records. It sits outside /skydns so skydns never serves it.
 */
export const OWNERS_PREFIX = "/kube2sky/owners/";

/** ownerKeyFor returns the registry key of a unit. */
export function ownerKeyFor(unit: UnitId): string {
  return OWNERS_PREFIX + unit;
}

/** unitOfOwnerKey is the inverse of ownerKeyFor; undefined for a key outside the registry. */
export function unitOfOwnerKey(key: string): UnitId | undefined {
  const unit = key.startsWith(OWNERS_PREFIX) ? parseUnit(key.slice(OWNERS_PREFIX.length)) : undefined;
  return unit === undefined ? undefined : unitId(unit);
}

/** encodeOwned writes a unit's key list, sorted, so an unchanged list is an unchanged value. */
export function encodeOwned(keys: Iterable<string>): string {
  return JSON.stringify([...keys].sort());
}

/**
 * decodeOwned reads a registry value. Only keys under recordPrefix are kept, and never CONFIG_KEY (skydns's
 * configuration, which no unit owns): whatever the registry says, kube2sky never deletes outside the record tree.
 */
export function decodeOwned(value: string, recordPrefix: string): string[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch {
    return [];
  }
  if (!Array.isArray(parsed)) return [];
  return parsed.filter((k): k is string => typeof k === "string" && k.startsWith(recordPrefix + "/") && k !== CONFIG_KEY);
}

/**
 * digestOf is what Ownership keeps of a record value: the first 128 bits of its SHA-256, as 16 one-byte characters
 * (Node's "binary"), against the 90 or so characters of the value. Two values of a key with one digest cannot be
 * found, let alone written by a cluster user, so comparing digests decides what comparing values would.
 */
export function digestOf(value: string): string {
  // toString on the bytes makes a string of its own; slicing the 32-character digest would keep all of it alive. The
  // one-shot hash() costs about 40 % less CPU than a createHash object per value (a sync digests every record).
  return hash("sha256", value, "buffer").toString("binary", 0, 16);
}

/**
 * Ownership mirrors the registry in memory: per unit, the keys it owns and the digest of the value etcd holds for
 * each, as last read or written (a quarter less memory than the values). It counts claims per key so that a key
 * two units both hold is deleted only when neither wants it.
 */
export class Ownership {
  private readonly owned = new Map<UnitId, ReadonlyMap<string, string>>();
  private readonly claims = new Map<string, number>();

  /** keysOf returns a unit's owned keys, each with the digest of its last known value. */
  keysOf(unit: UnitId): ReadonlyMap<string, string> {
    return this.owned.get(unit) ?? new Map();
  }

  /** set records what a unit owns after a successful write; an empty map forgets the unit. */
  set(unit: UnitId, records: ReadonlyMap<string, string>): void {
    this.setDigests(unit, new Map(Array.from(records, ([key, value]) => [key, digestOf(value)] as const)));
  }

  /** setDigests is set with each value's digestOf already taken (the diff took them). */
  setDigests(unit: UnitId, digests: ReadonlyMap<string, string>): void {
    for (const key of this.keysOf(unit).keys()) this.claim(key, -1);
    if (digests.size === 0) this.owned.delete(unit);
    else this.owned.set(unit, digests);
    for (const key of digests.keys()) this.claim(key, 1);
  }

  /** claimedByOther tells whether a unit other than this one owns key. */
  claimedByOther(key: string, unit: UnitId): boolean {
    const mine = this.owned.get(unit)?.has(key) ? 1 : 0;
    return (this.claims.get(key) ?? 0) - mine > 0;
  }

  /** units lists every unit that owns keys. */
  units(): UnitId[] {
    return [...this.owned.keys()];
  }

  /**
   * load replaces everything with what etcd holds: the registry entries and the digests of the record values. It
   * returns each unit's registered keys, including keys the registry lists but etcd no longer has.
   */
  load(registry: ReadonlyMap<string, string>, records: ReadonlyMap<string, string>, recordPrefix: string): Map<UnitId, Set<string>> {
    this.owned.clear();
    this.claims.clear();
    const registered = new Map<UnitId, Set<string>>();
    for (const [key, value] of registry) {
      const unit = unitOfOwnerKey(key);
      if (unit === undefined) continue;
      const keys = decodeOwned(value, recordPrefix);
      registered.set(unit, new Set(keys));
      this.set(unit, new Map(keys.flatMap((k) => (records.has(k) ? [[k, records.get(k) as string] as const] : []))));
    }
    return registered;
  }

  /** size is the number of keys owned, counting a shared key once. */
  get size(): number {
    return this.claims.size;
  }

  private claim(key: string, delta: number): void {
    const count = (this.claims.get(key) ?? 0) + delta;
    if (count > 0) this.claims.set(key, count);
    else this.claims.delete(key);
  }
}
