import { describe, expect, it } from "vitest";
import type { StoreEvent } from "../storage/etcd-watch.js";
import { parseLabelSelector } from "../api/selectors.js";
import { toWatchEvent } from "./watch.js";

const svc = (labels: Record<string, string>, rv: string) => ({ kind: "Service", metadata: { name: "a", namespace: "default", labels, resourceVersion: rv } });
const web = { labels: parseLabelSelector("app=web"), fields: [] };

describe("toWatchEvent", () => {
  const put = (before: Record<string, string> | undefined, after: Record<string, string>): StoreEvent => ({
    type: "put",
    key: "/registry/services/default/a",
    object: svc(after, "9"),
    previous: before === undefined ? undefined : svc(before, "8"),
    revision: 9,
  });

  it.each([
    ["a new matching object", put(undefined, { app: "web" }), "ADDED"],
    ["a new object that does not match", put(undefined, { app: "db" }), undefined],
    ["a change that stays inside the selection", put({ app: "web" }, { app: "web", x: "1" }), "MODIFIED"],
    ["an object entering the selection", put({ app: "db" }, { app: "web" }), "ADDED"],
    ["an object leaving the selection", put({ app: "web" }, { app: "db" }), "DELETED"],
    ["a change outside the selection", put({ app: "db" }, { app: "db", x: "1" }), undefined],
  ])("reports %s as %s", (_title, event, type) => {
    expect(toWatchEvent(event, web)?.type).toBe(type);
  });

  it("reports a deletion with the last state, stamped with the deletion's revision", () => {
    const event: StoreEvent = { type: "delete", key: "/registry/services/default/a", object: svc({ app: "web" }, "10"), previous: svc({ app: "web" }, "8"), revision: 10 };
    expect(toWatchEvent(event, web)).toEqual({ type: "DELETED", object: svc({ app: "web" }, "10") });
    expect(toWatchEvent({ ...event, previous: svc({ app: "db" }, "8") }, web)).toBeUndefined();
  });
});
