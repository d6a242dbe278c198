import { describe, expect, it } from "vitest";
import { TtlCache } from "./cache.js";

describe("TtlCache", () => {
  it("expires entries after their TTL and reports their age", () => {
    let now = 0;
    const cache = new TtlCache<string>(10, () => now);
    cache.set("a", "x", 30);
    now = 10_500;
    expect(cache.get("a")).toEqual({ value: "x", ageSeconds: 10 });
    now = 30_000;
    expect(cache.get("a")).toBeUndefined();
  });

  it("evicts the least recently used entry when full", () => {
    const cache = new TtlCache<number>(2, () => 0);
    cache.set("a", 1, 60);
    cache.set("b", 2, 60);
    cache.get("a");
    cache.set("c", 3, 60);
    expect(cache.get("b")).toBeUndefined();
    expect(cache.get("a")?.value).toBe(1);
    expect(cache.size).toBe(2);
  });

  it("stores nothing with a TTL of 0 or a size of 0", () => {
    const cache = new TtlCache<number>(0);
    cache.set("a", 1, 60);
    new TtlCache<number>(5).set("b", 1, 0);
    expect(cache.size).toBe(0);
  });
});
