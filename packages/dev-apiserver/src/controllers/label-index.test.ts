import { describe, expect, it } from "vitest";
import { LabelIndex } from "./label-index.js";

describe("LabelIndex", () => {
  it("files a value under each label pair of its namespace, and refiles it on set", () => {
    const index = new LabelIndex<number>();
    index.set("default/a", "default", { app: "web", tier: "front" }, 1);
    index.set("other/a", "other", { app: "web" }, 2);
    expect([...index.filed("default", "app", "web")]).toEqual([["default/a", 1]]);
    expect([...index.filed("default", "tier", "front")]).toEqual([["default/a", 1]]);
    expect([...index.filed("other", "app", "web")]).toEqual([["other/a", 2]]);
    index.set("default/a", "default", { app: "db" }, 3);
    expect(index.filed("default", "app", "web").size).toBe(0);
    expect(index.filed("default", "tier", "front").size).toBe(0);
    expect([...index.filed("default", "app", "db")]).toEqual([["default/a", 3]]);
  });

  it("forgets a key on delete, and everything on clear", () => {
    const index = new LabelIndex<string>();
    index.set("default/a", "default", { app: "web" }, "a");
    index.set("default/b", "default", { app: "web" }, "b");
    index.delete("default/a");
    index.delete("default/unknown");
    expect([...index.filed("default", "app", "web").keys()]).toEqual(["default/b"]);
    index.clear();
    expect(index.filed("default", "app", "web").size).toBe(0);
  });
});
