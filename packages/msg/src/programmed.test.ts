import { describe, expect, it } from "vitest";
import { encodeProgrammed, MAX_PROGRAMMED_CHANGES, parseProgrammed, programmedKeyFor } from "./programmed.js";

describe("the programmed key", () => {
  it("sits next to the config key under the prefix", () => {
    expect(programmedKeyFor()).toBe("/skydns/programmed");
    expect(programmedKeyFor("/dns")).toBe("/dns/programmed");
  });

  it("reads back what was encoded, at most MAX_PROGRAMMED_CHANGES changes", () => {
    const change = { kind: "service", type: "add" as const, object: "default/web", triggerAt: 1000, trigger: "created", seenAt: 1500 };
    const changes = Array.from({ length: MAX_PROGRAMMED_CHANGES + 3 }, () => change);
    const back = parseProgrammed(encodeProgrammed({ sentAt: 1600, changes }));
    expect(back?.sentAt).toBe(1600);
    expect(back?.changes).toHaveLength(MAX_PROGRAMMED_CHANGES);
    expect(back?.changes[0]).toEqual(change);
  });

  it("keeps a change without a trigger time, and drops a trigger name without its time", () => {
    const raw = JSON.stringify({ sentAt: 5, changes: [{ kind: "pod", type: "delete", object: "a/b", trigger: "deleted", seenAt: 4 }] });
    expect(parseProgrammed(raw)?.changes[0]).toEqual({ kind: "pod", type: "delete", object: "a/b", triggerAt: undefined, trigger: undefined, seenAt: 4 });
  });

  it.each([
    ["not JSON", "{"],
    ["not an object", "3"],
    ["no sentAt", JSON.stringify({ changes: [] })],
    ["a negative time", JSON.stringify({ sentAt: -1, changes: [] })],
    ["a change of an unknown type", JSON.stringify({ sentAt: 1, changes: [{ kind: "pod", type: "poke", object: "a/b", seenAt: 1 }] })],
    ["a change without seenAt", JSON.stringify({ sentAt: 1, changes: [{ kind: "pod", type: "add", object: "a/b" }] })],
  ])("refuses %s", (_what, raw) => {
    expect(parseProgrammed(raw)).toBeUndefined();
  });
});
