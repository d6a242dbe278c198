import type { UnitId } from "./unit.js";

/** UnitChange is what one unit needs in etcd: puts, deletes, and its new owned-key list when that changed. */
export interface UnitChange {
  readonly unit: UnitId;
  readonly puts: ReadonlyArray<readonly [key: string, value: string]>;
  readonly deletes: readonly string[];
  /** The unit's owned keys after the change; undefined when the registry entry is already right. */
  readonly owned: readonly string[] | undefined;
  /** The owned keys before the change, for splitting a change too large for one transaction safely. */
  readonly ownedBefore: readonly string[];
}

/**
 * diffUnit compares what a unit should hold with what it holds. `owned` is the unit's registry entry,
 * `actual` the values in etcd (or last written) for the keys concerned, or what `digest` makes of them when it is
 * given. Only keys in `owned` are ever deleted, and not those another unit also claims; a key already holding the
 * desired value is not rewritten.
 */
export function diffUnit(
  unit: UnitId,
  desired: ReadonlyMap<string, string>,
  owned: ReadonlySet<string>,
  actual: ReadonlyMap<string, string>,
  claimedByOther: (key: string) => boolean,
  digest: (value: string, key: string) => string = (value) => value,
): UnitChange {
  const puts: Array<readonly [string, string]> = [];
  for (const [key, value] of desired) if (actual.get(key) !== digest(value, key)) puts.push([key, value]);
  const deletes: string[] = [];
  for (const key of owned) if (!desired.has(key) && actual.has(key) && !claimedByOther(key)) deletes.push(key);
  const sameOwned = owned.size === desired.size && [...desired.keys()].every((key) => owned.has(key));
  return { unit, puts, deletes, owned: sameOwned ? undefined : [...desired.keys()].sort(), ownedBefore: [...owned].sort() };
}

/** isEmpty tells whether a change has nothing to write. */
export function isEmpty(change: UnitChange): boolean {
  return change.puts.length === 0 && change.deletes.length === 0 && change.owned === undefined;
}
