import { DEFAULT_PREFIX } from "./name.js";

/**
 * programmedKeyFor returns the key kube2sky rewrites in every transaction that carries watch events, `/skydns/programmed`:
 * a JSON Programmed value, not a record. skydns reads it to time the last hop (transaction sent -> index updated);
 * `kube-dns tree` shows it.
 */
export function programmedKeyFor(prefix: string = DEFAULT_PREFIX): string {
  return `${prefix}/programmed`;
}

/** The most changes one Programmed value names; a larger batch is timed in the histograms but named only in part. */
export const MAX_PROGRAMMED_CHANGES = 8;

/**
 * ProgrammedChange is one watch event that went into a transaction. Times are milliseconds since the epoch on the
 * clock of the kube2sky that saw the event, except triggerAt, which the API server's clock wrote: from the
 * EndpointSlice annotation `endpoints.kubernetes.io/last-change-trigger-time` (sub-second), or from
 * creationTimestamp, managedFields or deletionTimestamp (whole seconds, rounded down).
 */
export interface ProgrammedChange {
  /** The object's kind as kube2sky names it: service, endpointslice, endpoints, pod. */
  readonly kind: string;
  readonly type: "add" | "update" | "delete";
  /** `namespace/name`. */
  readonly object: string;
  readonly triggerAt?: number | undefined;
  /** Where triggerAt came from: annotation, created, managed-fields, deleted. */
  readonly trigger?: string | undefined;
  readonly seenAt: number;
}

/** Programmed is the value of the programmed key: when the transaction was sent, and the first events it carries. */
export interface Programmed {
  readonly sentAt: number;
  readonly changes: readonly ProgrammedChange[];
}

/** encodeProgrammed is the stored JSON of value, with at most MAX_PROGRAMMED_CHANGES changes. */
export function encodeProgrammed(value: Programmed): string {
  return JSON.stringify({ sentAt: value.sentAt, changes: value.changes.slice(0, MAX_PROGRAMMED_CHANGES) });
}

/** parseProgrammed reads a stored value back; undefined for anything that is not one (a reader must not trust the key). */
export function parseProgrammed(raw: string): Programmed | undefined {
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    return undefined;
  }
  if (typeof value !== "object" || value === null) return undefined;
  const { sentAt, changes } = value as { sentAt?: unknown; changes?: unknown };
  if (!isTime(sentAt) || !Array.isArray(changes)) return undefined;
  const parsed: ProgrammedChange[] = [];
  for (const change of changes.slice(0, MAX_PROGRAMMED_CHANGES) as unknown[]) {
    if (typeof change !== "object" || change === null) return undefined;
    const c = change as Record<string, unknown>;
    if (typeof c["kind"] !== "string" || typeof c["object"] !== "string" || !isTime(c["seenAt"])) return undefined;
    if (c["type"] !== "add" && c["type"] !== "update" && c["type"] !== "delete") return undefined;
    const triggerAt = isTime(c["triggerAt"]) ? c["triggerAt"] : undefined;
    const trigger = triggerAt !== undefined && typeof c["trigger"] === "string" ? c["trigger"] : undefined;
    parsed.push({ kind: c["kind"].slice(0, 32), type: c["type"], object: c["object"].slice(0, 320), triggerAt, trigger, seenAt: c["seenAt"] });
  }
  return { sentAt, changes: parsed };
}

function isTime(value: unknown): value is number {
  return typeof value === "number" && Number.isFinite(value) && value >= 0;
}
