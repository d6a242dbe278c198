import { describe, expect, it } from "vitest";
import { opsFor, planTxns } from "./apply.js";
import type { UnitChange } from "./diff.js";
import { serviceUnit } from "./unit.js";

function change(name: string, puts: number, overrides: Partial<UnitChange> = {}): UnitChange {
  const keys = Array.from({ length: puts }, (_, i) => `/skydns/${name}/${i}`);
  return { unit: serviceUnit("test", name), puts: keys.map((k) => [k, "v"] as const), deletes: [], owned: keys, ownedBefore: [], ...overrides };
}

describe("opsFor", () => {
  it("lists puts, deletes, then the registry entry", () => {
    expect(opsFor(change("a", 1, { deletes: ["/skydns/a/old"] }))).toEqual([
      { kind: "put", key: "/skydns/a/0", value: "v" },
      { kind: "delete", key: "/skydns/a/old" },
      { kind: "put", key: "/kube2sky/owners/service/test/a", value: '["/skydns/a/0"]' },
    ]);
  });

  it("deletes the registry entry of a unit left with nothing", () => {
    expect(opsFor(change("a", 0, { deletes: ["/skydns/a/x"], owned: [] })).at(-1)).toEqual({ kind: "delete", key: "/kube2sky/owners/service/test/a" });
  });
});

describe("planTxns", () => {
  it("packs whole units into transactions of at most 100 operations", () => {
    const txns = planTxns(Array.from({ length: 250 }, (_, i) => change(`u${i}`, 3)));
    expect(txns.every((t) => t.length <= 100)).toBe(true);
    expect(txns.flat()).toHaveLength(1000);
    // 4 ops per unit: 25 units per transaction, none split.
    expect(txns.map((t) => t.length)).toEqual(Array(10).fill(100));
  });

  it("splits a unit larger than one transaction: widened registry first, final registry last", () => {
    const txns = planTxns([change("big", 150, { ownedBefore: ["/skydns/big/stale"], deletes: ["/skydns/big/stale"] })], 100);
    expect(txns.length).toBe(2);
    const first = txns[0]?.[0];
    expect(first?.key).toBe("/kube2sky/owners/service/test/big");
    expect(first?.kind === "put" && JSON.parse(first.value)).toContain("/skydns/big/stale");
    const last = txns.at(-1)?.at(-1);
    expect(last?.kind === "put" && JSON.parse(last.value)).not.toContain("/skydns/big/stale");
    for (const txn of txns) expect(new Set(txn.map((op) => op.key)).size).toBe(txn.length);
  });
});
