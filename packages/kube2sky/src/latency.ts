import type { KubernetesObject } from "@kubernetes/client-node";
import type { ProgrammedChange } from "@kube-dns/msg";
import type { UnitId } from "./unit.js";

/** TRIGGER_ANNOTATION is set by the EndpointSlice (and Endpoints) controller: when the change it reflects began. */
export const TRIGGER_ANNOTATION = "endpoints.kubernetes.io/last-change-trigger-time";

/** Trigger is when, by the API server's clock, the change behind an event happened, and where that time comes from. */
export interface Trigger {
  readonly at: number;
  readonly source: "annotation" | "created" | "managed-fields" | "deleted";
}

/**
 * triggerOf reads the time an event's change began, the best the object can tell: the trigger-time annotation of an
 * EndpointSlice or Endpoints (written by its controller, sub-second); else, for an addition, creationTimestamp; for an
 * update, the newest managedFields time; for a deletion, deletionTimestamp. The last three are whole seconds, rounded
 * down, so they overstate the latency by up to a second. Undefined when the object says nothing usable (a deletion
 * without a grace period, an update without managedFields).
 */
export function triggerOf(type: ProgrammedChange["type"], obj: KubernetesObject): Trigger | undefined {
  const meta = obj.metadata;
  const annotated = timeOf(meta?.annotations?.[TRIGGER_ANNOTATION]);
  if (annotated !== undefined) return { at: annotated, source: "annotation" };
  if (type === "delete") return at(timeOf(meta?.deletionTimestamp), "deleted");
  if (type === "add") return at(timeOf(meta?.creationTimestamp), "created");
  let newest: number | undefined;
  for (const entry of meta?.managedFields ?? []) {
    const time = timeOf(entry.time);
    if (time !== undefined && (newest === undefined || time > newest)) newest = time;
  }
  return at(newest, "managed-fields");
}

/** changeOf is one watch event as the programmed key names it, seen at seenAt (milliseconds on our clock). */
export function changeOf(kind: string, type: ProgrammedChange["type"], obj: KubernetesObject, seenAt: number): ProgrammedChange {
  const trigger = triggerOf(type, obj);
  const object = `${obj.metadata?.namespace ?? ""}/${obj.metadata?.name ?? ""}`;
  return { kind, type, object, triggerAt: trigger?.at, trigger: trigger?.source, seenAt };
}

/** secondsBetween is a hop's duration in seconds; never negative (the API server's clock may run ahead of ours). */
export function secondsBetween(fromMs: number, toMs: number): number {
  return Math.max(0, toMs - fromMs) / 1000;
}

/**
 * PendingChanges remembers, per unit, the first event not yet committed to etcd, so each commit can say how long the
 * events it carries waited. Bounded by the units the store holds; a unit's entry goes with the commit that covers it.
 */
export class PendingChanges {
  private readonly byUnit = new Map<UnitId, ProgrammedChange>();

  /** note records change against units that have no earlier pending change. */
  note(units: readonly UnitId[], change: ProgrammedChange): void {
    for (const unit of units) if (!this.byUnit.has(unit)) this.byUnit.set(unit, change);
  }

  /** peek returns the pending changes of units, each once, oldest first, and keeps them. */
  peek(units: Iterable<UnitId>): ProgrammedChange[] {
    const found = new Set<ProgrammedChange>();
    for (const unit of units) {
      const change = this.byUnit.get(unit);
      if (change !== undefined) found.add(change);
    }
    return [...found].sort((a, b) => a.seenAt - b.seenAt);
  }

  /** take removes and returns the pending changes of units, as peek orders them. */
  take(units: Iterable<UnitId>): ProgrammedChange[] {
    const list = [...units];
    const found = this.peek(list);
    for (const unit of list) this.byUnit.delete(unit);
    return found;
  }

  /** size is the number of units with a pending change. */
  get size(): number {
    return this.byUnit.size;
  }
}

function timeOf(value: Date | string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const ms = value instanceof Date ? value.getTime() : Date.parse(value);
  return Number.isFinite(ms) ? ms : undefined;
}

function at(time: number | undefined, source: Trigger["source"]): Trigger | undefined {
  return time === undefined ? undefined : { at: time, source };
}
