/**
 * LabelIndex files objects by namespace and label pair, so that a controller finds the objects that share a label
 * with another in time proportional to those, not to the cluster: pods under each of their labels, services under
 * one pair of their selector (a pod a selector matches carries every pair of it, that one included).
 */
export class LabelIndex<T> {
  private readonly byPair = new Map<string, Map<string, T>>();
  private readonly pairsOf = new Map<string, string[]>();

  /** set files value under key, in namespace, under each of the label pairs given, replacing what key was filed under. */
  set(key: string, namespace: string, labels: Readonly<Record<string, unknown>>, value: T): void {
    this.delete(key);
    const pairs = Object.entries(labels).map(([name, text]) => pairKey(namespace, name, text));
    for (const pair of pairs) {
      let bucket = this.byPair.get(pair);
      if (bucket === undefined) this.byPair.set(pair, (bucket = new Map()));
      bucket.set(key, value);
    }
    this.pairsOf.set(key, pairs);
  }

  /** delete takes key out of the index. */
  delete(key: string): void {
    for (const pair of this.pairsOf.get(key) ?? []) {
      const bucket = this.byPair.get(pair);
      bucket?.delete(key);
      if (bucket?.size === 0) this.byPair.delete(pair);
    }
    this.pairsOf.delete(key);
  }

  /** filed returns what is filed under one label pair of namespace, by key (empty when nothing is). */
  filed(namespace: string, name: string, value: unknown): ReadonlyMap<string, T> {
    return this.byPair.get(pairKey(namespace, name, value)) ?? EMPTY;
  }

  /** clear empties the index. */
  clear(): void {
    this.byPair.clear();
    this.pairsOf.clear();
  }
}

const EMPTY: ReadonlyMap<string, never> = new Map<string, never>();

// NUL is in no valid namespace or label name; a pair that still collides costs only a selector test, which every caller makes.
function pairKey(namespace: string, name: string, value: unknown): string {
  return `${namespace}\u0000${name}\u0000${String(value)}`;
}
