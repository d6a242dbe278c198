import type { UnitChange } from "./diff.js";
import { encodeOwned, ownerKeyFor } from "./ownership.js";
import type { UnitId } from "./unit.js";

/** Op is one write in an etcd transaction. */
export type Op = { readonly kind: "put"; readonly key: string; readonly value: string } | { readonly kind: "delete"; readonly key: string };

/**
 * The most operations kube2sky puts in one transaction by default (--etcd-max-txn-ops); etcd refuses more than its
 * --max-txn-ops (128 by default). The pod raises both (the launcher and the manifests).
 */
export const MAX_TXN_OPS = 100;

/** opsFor lists one unit's writes: record puts, record deletes, then its registry entry. */
export function opsFor(change: UnitChange): Op[] {
  const ops: Op[] = change.puts.map(([key, value]) => ({ kind: "put", key, value }));
  for (const key of change.deletes) ops.push({ kind: "delete", key });
  const registry = registryOp(change.unit, change.owned);
  if (registry !== undefined) ops.push(registry);
  return ops;
}

function registryOp(unit: UnitId, owned: readonly string[] | undefined): Op | undefined {
  if (owned === undefined) return undefined;
  return owned.length === 0 ? { kind: "delete", key: ownerKeyFor(unit) } : { kind: "put", key: ownerKeyFor(unit), value: encodeOwned(owned) };
}

/**
 * planTxns packs unit changes into transactions of at most maxOps operations. A unit is never split when it
 * fits, so skydns never sees half of it. A unit larger than one transaction is written in order: first its
 * registry entry widened to old plus new keys (so a crash leaves nothing unowned), then its records, then
 * the final registry entry.
 */
export function planTxns(changes: readonly UnitChange[], maxOps: number = MAX_TXN_OPS): Op[][] {
  const txns: Op[][] = [];
  let current: Op[] = [];
  for (const change of changes) {
    const ops = opsFor(change);
    if (ops.length === 0) continue;
    if (ops.length > maxOps) {
      txns.push(...splitLarge(change, maxOps));
      continue;
    }
    if (current.length + ops.length > maxOps) {
      txns.push(current);
      current = [];
    }
    current.push(...ops);
  }
  if (current.length > 0) txns.push(current);
  return txns;
}

function splitLarge(change: UnitChange, maxOps: number): Op[][] {
  const records = opsFor({ ...change, owned: undefined });
  const ops: Op[] = [];
  if (change.owned !== undefined) {
    const widened = new Set([...change.ownedBefore, ...change.owned]);
    ops.push({ kind: "put", key: ownerKeyFor(change.unit), value: encodeOwned(widened) });
  }
  ops.push(...records);
  const final = registryOp(change.unit, change.owned);
  if (final !== undefined) ops.push(final);
  const txns: Op[][] = [];
  for (let i = 0; i < ops.length; i += maxOps) txns.push(ops.slice(i, i + maxOps));
  // The widened and the final registry writes touch one key; etcd refuses that twice in a transaction.
  const last = txns[txns.length - 1];
  if (txns.length === 1 && last !== undefined && change.owned !== undefined) txns.push([last.pop() as Op]);
  return txns;
}
