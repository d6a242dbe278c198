import { describe, expect, it } from "vitest";
import { diffUnit, isEmpty } from "./diff.js";
import { serviceUnit } from "./unit.js";

const U = serviceUnit("test", "u");

const none = () => false;

describe("diffUnit", () => {
  it("puts every record of a new unit and registers its keys", () => {
    const change = diffUnit(serviceUnit("default", "a"), new Map([["/k1", "v1"], ["/k2", "v2"]]), new Set(), new Map(), none);
    expect(change.puts).toEqual([["/k1", "v1"], ["/k2", "v2"]]);
    expect(change.deletes).toEqual([]);
    expect(change.owned).toEqual(["/k1", "/k2"]);
  });

  it("rewrites only the keys whose value changed, and never deletes then rewrites", () => {
    const actual = new Map([["/k1", "v1"], ["/k2", "old"]]);
    const change = diffUnit(U, new Map([["/k1", "v1"], ["/k2", "new"]]), new Set(actual.keys()), actual, none);
    expect(change.puts).toEqual([["/k2", "new"]]);
    expect(change.deletes).toEqual([]);
    expect(change.owned).toBeUndefined();
  });

  it("deletes owned keys no longer desired, and nothing when all is in place", () => {
    const actual = new Map([["/k1", "v1"], ["/k2", "v2"]]);
    const change = diffUnit(U, new Map([["/k1", "v1"]]), new Set(actual.keys()), actual, none);
    expect(change.deletes).toEqual(["/k2"]);
    expect(change.owned).toEqual(["/k1"]);
    expect(isEmpty(diffUnit(U, new Map([["/k1", "v1"]]), new Set(["/k1"]), new Map([["/k1", "v1"]]), none))).toBe(true);
  });

  it("never deletes a key it does not own, even one that is in etcd", () => {
    const change = diffUnit(U, new Map(), new Set(), new Map([["/operator/key", "x"]]), none);
    expect(isEmpty(change)).toBe(true);
  });

  it("keeps a key another unit also claims, but drops it from its own registry entry", () => {
    const actual = new Map([["/shared", "v"]]);
    const change = diffUnit(U, new Map(), new Set(["/shared"]), actual, (key) => key === "/shared");
    expect(change.deletes).toEqual([]);
    expect(change.owned).toEqual([]);
  });

  it("skips deleting a registered key that is already gone from etcd", () => {
    const change = diffUnit(U, new Map(), new Set(["/gone"]), new Map(), none);
    expect(change.deletes).toEqual([]);
    expect(change.owned).toEqual([]);
  });

  it("compares digests when actual holds them", () => {
    const digest = (value: string) => `#${value.length}`;
    const actual = new Map([["/k1", "#2"], ["/k2", "#2"]]);
    const change = diffUnit(U, new Map([["/k1", "v1"], ["/k2", "new"]]), new Set(actual.keys()), actual, none, digest);
    expect(change.puts).toEqual([["/k2", "new"]]);
  });
});
