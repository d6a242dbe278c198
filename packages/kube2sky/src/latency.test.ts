import { describe, expect, it } from "vitest";
import { changeOf, PendingChanges, secondsBetween, TRIGGER_ANNOTATION, triggerOf } from "./latency.js";
import { serviceUnit } from "./unit.js";

const meta = (extra: Record<string, unknown>) => ({ metadata: { namespace: "default", name: "web", ...extra } });

describe("triggerOf", () => {
  it("prefers the trigger-time annotation, to the millisecond", () => {
    const obj = meta({ creationTimestamp: "2026-01-01T00:00:00Z", annotations: { [TRIGGER_ANNOTATION]: "2026-01-01T00:00:05.123456789Z" } });
    expect(triggerOf("update", obj)).toEqual({ at: Date.parse("2026-01-01T00:00:05.123Z"), source: "annotation" });
  });

  it("takes creationTimestamp for an addition, whether the client parsed it or not", () => {
    expect(triggerOf("add", meta({ creationTimestamp: "2026-01-01T00:00:07Z" }))).toEqual({ at: Date.parse("2026-01-01T00:00:07Z"), source: "created" });
    expect(triggerOf("add", meta({ creationTimestamp: new Date("2026-01-01T00:00:07Z") }))?.at).toBe(Date.parse("2026-01-01T00:00:07Z"));
  });

  it("takes the newest managedFields time for an update", () => {
    const managedFields = [{ time: "2026-01-01T00:00:03Z" }, { time: "2026-01-01T00:00:09Z" }, { manager: "no time" }];
    expect(triggerOf("update", meta({ creationTimestamp: "2026-01-01T00:00:00Z", managedFields }))).toEqual({ at: Date.parse("2026-01-01T00:00:09Z"), source: "managed-fields" });
  });

  it("takes deletionTimestamp for a deletion, and knows nothing of one without it", () => {
    expect(triggerOf("delete", meta({ deletionTimestamp: "2026-01-01T00:01:00Z" }))?.source).toBe("deleted");
    expect(triggerOf("delete", meta({ creationTimestamp: "2026-01-01T00:00:00Z" }))).toBeUndefined();
  });

  it("ignores a time it cannot read", () => {
    expect(triggerOf("add", meta({ creationTimestamp: "yesterday", annotations: { [TRIGGER_ANNOTATION]: "soon" } }))).toBeUndefined();
    expect(triggerOf("update", meta({}))).toBeUndefined();
  });
});

describe("changeOf and secondsBetween", () => {
  it("names the object and carries both times", () => {
    expect(changeOf("service", "add", meta({ creationTimestamp: "2026-01-01T00:00:00Z" }), 1234)).toEqual({
      kind: "service", type: "add", object: "default/web", triggerAt: Date.parse("2026-01-01T00:00:00Z"), trigger: "created", seenAt: 1234,
    });
  });

  it("is in seconds and never negative", () => {
    expect(secondsBetween(1000, 3500)).toBe(2.5);
    expect(secondsBetween(3500, 1000)).toBe(0);
  });
});

describe("PendingChanges", () => {
  const change = (object: string, seenAt: number) => ({ kind: "service", type: "add" as const, object, seenAt });
  const a = serviceUnit("default", "a");
  const b = serviceUnit("default", "b");

  it("keeps a unit's first change until taken, and returns each change once, oldest first", () => {
    const pending = new PendingChanges();
    const first = change("default/a", 20);
    const both = change("default/ab", 10);
    pending.note([a], first);
    pending.note([a, b], both);
    pending.note([a], change("default/a-again", 30));
    expect(pending.peek([a, b])).toEqual([both, first]);
    expect(pending.size).toBe(2);
    expect(pending.take([a, b, serviceUnit("default", "c")])).toEqual([both, first]);
    expect(pending.size).toBe(0);
    expect(pending.take([a])).toEqual([]);
  });
});
