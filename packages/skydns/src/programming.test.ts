import { encodeProgrammed } from "@kube-dns/msg";
import { describe, expect, it } from "vitest";
import { Programming, RECENT_CHANGES_CAP } from "./programming.js";

const change = (object: string, seenAt: number) => ({ kind: "service", type: "add" as const, object, triggerAt: seenAt - 300, trigger: "created", seenAt });

describe("Programming", () => {
  it("observes sent -> indexed once per transaction, in seconds", () => {
    const programming = new Programming();
    programming.observe(encodeProgrammed({ sentAt: 10_000, changes: [change("default/a", 9_000), change("default/b", 9_500)] }), 10_004);
    expect(programming.sentToIndexed.count).toBe(1);
    expect(programming.sentToIndexed.sum).toBeCloseTo(0.004);
    expect(programming.recent().map((c) => c.object)).toEqual(["default/b", "default/a"]);
    expect(programming.recent()[0]).toMatchObject({ sentAt: 10_000, indexedAt: 10_004, triggerAt: 9_200 });
  });

  it("counts a clock behind kube2sky's as 0, and refuses what it cannot read", () => {
    const programming = new Programming();
    programming.observe(encodeProgrammed({ sentAt: 10_000, changes: [] }), 9_000);
    programming.observe("not json", 9_000);
    expect(programming.sentToIndexed.counts[0]).toBe(1);
    expect(programming.refused).toBe(1);
  });

  it(`keeps the last ${RECENT_CHANGES_CAP} changes`, () => {
    const programming = new Programming();
    for (let i = 0; i < RECENT_CHANGES_CAP + 5; i++) programming.observe(encodeProgrammed({ sentAt: i, changes: [change(`default/s${i}`, i)] }), i);
    const recent = programming.recent();
    expect(recent).toHaveLength(RECENT_CHANGES_CAP);
    expect(recent[0]?.object).toBe(`default/s${RECENT_CHANGES_CAP + 4}`);
    expect(recent.at(-1)?.object).toBe("default/s5");
  });
});
