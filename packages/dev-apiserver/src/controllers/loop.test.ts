import { createLogger } from "@kube-dns/log";
import { afterEach, describe, expect, it, vi } from "vitest";
import { resourceByKind, type Resource } from "../api/resources.js";
import type { KubeObject } from "../api/types.js";
import type { StoreEvent, StoreWatchHandlers } from "../storage/etcd-watch.js";
import type { Feed, Listed } from "./feed.js";
import { ControllerLoop, type ControllerSpec, type SyncResult } from "./loop.js";

const SERVICES = resourceByKind("Service");
const PODS = resourceByKind("Pod");
const RETRY_MS = 10;

const service = (name: string): KubeObject => ({ metadata: { namespace: "default", name } });
const keyOf = (object: KubeObject): string => `${object.metadata.namespace ?? ""}/${object.metadata.name ?? ""}`;
const put = (object: KubeObject, revision: number): StoreEvent => ({ type: "put", key: keyOf(object), object, previous: undefined, revision });

/** FakeFeed lists what a test stored, at the revision it set, and keeps every watch so a test can feed or break it. */
class FakeFeed implements Feed {
  readonly stored = new Map<Resource, KubeObject[]>([[SERVICES, [service("a"), service("b")]]]);
  revision = 10;
  lists = 0;
  failingLists = 0;
  readonly watches: { resource: Resource; startRevision: number; handlers: StoreWatchHandlers; cancelled: boolean }[] = [];

  list(resource: Resource): Promise<Listed> {
    this.lists++;
    if (this.failingLists > 0) {
      this.failingLists--;
      return Promise.reject(new Error("etcd is unreachable"));
    }
    return Promise.resolve({ items: [...(this.stored.get(resource) ?? [])], revision: this.revision });
  }

  watch(resource: Resource, startRevision: number, handlers: StoreWatchHandlers): { cancel(): Promise<void> } {
    const watch = { resource, startRevision, handlers, cancelled: false };
    this.watches.push(watch);
    return { cancel: () => Promise.resolve(void (watch.cancelled = true)) };
  }

  live(): { resource: Resource; startRevision: number }[] {
    return this.watches.filter((w) => !w.cancelled).map(({ resource, startRevision }) => ({ resource, startRevision }));
  }
}

/**
 * run builds a loop over a FakeFeed whose sync records each key and fails the first failuresOfA syncs of default/a;
 * spec overrides the defaults.
 */
function run(spec: Partial<ControllerSpec> = {}, failuresOfA = 0): { feed: FakeFeed; loop: ControllerLoop; synced: string[]; counted: string[] } {
  const feed = new FakeFeed();
  const synced: string[] = [];
  const counted: string[] = [];
  const loop = new ControllerLoop(
    { feed, log: createLogger("loop-test", "silent"), retryMs: RETRY_MS },
    {
      name: "test controller",
      watched: [SERVICES, PODS],
      retry: { by: "resync" },
      relist: (lists) => ({ keys: (lists.get(SERVICES) ?? []).map(keyOf) }),
      changed: (_resource, event) => [keyOf(event.object)],
      sync: (key) => {
        synced.push(key);
        return key === "default/a" && failuresOfA-- > 0 ? Promise.reject(new Error("etcd is unreachable")) : Promise.resolve("written");
      },
      counted: (key, result) => counted.push(`${key} ${result}`),
      ...spec,
    },
  );
  return { feed, loop, synced, counted };
}

describe("ControllerLoop", () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it("syncs every key the lists name before start resolves, one at a time, then watches each resource from the next revision", async () => {
    let running = 0;
    const seen: number[] = [];
    const { feed, loop, synced } = run({
      sync: async (key) => {
        seen.push(++running);
        synced.push(key);
        await new Promise((resolve) => setTimeout(resolve, 1));
        running--;
        return "written";
      },
    });
    await loop.start();
    expect(synced).toEqual(["default/a", "default/b"]);
    expect(seen).toEqual([1, 1]);
    expect(feed.live()).toEqual([
      { resource: SERVICES, startRevision: 11 },
      { resource: PODS, startRevision: 11 },
    ]);
    await loop.stop();
    expect(feed.live()).toEqual([]);
  });

  it("syncs the keys a change names in arrival order, a key once while it waits", async () => {
    const { feed, loop, synced, counted } = run();
    await loop.start();
    feed.watches[1]?.handlers.onEvents([put(service("x"), 12), put(service("y"), 13), put(service("x"), 14)]);
    await expect.poll(() => synced).toEqual(["default/a", "default/b", "default/x", "default/y"]);
    expect(counted.at(-1)).toBe("default/y written");
    await loop.stop();
  });

  it("lists and watches afresh after a broken watch, and tells the controller when a resync begins and when its keys are synced", async () => {
    const steps: string[] = [];
    const { feed, loop } = run({
      resyncing: () => steps.push("resyncing"),
      relist: (lists) => ({ keys: (lists.get(SERVICES) ?? []).map(keyOf), synced: () => steps.push("synced") }),
      sync: (key) => {
        steps.push(key);
        return Promise.resolve("unchanged");
      },
    });
    await loop.start();
    feed.revision = 20;
    feed.stored.set(SERVICES, [service("c")]);
    feed.watches[0]?.handlers.onError(new Error("compacted"), true);
    await expect.poll(() => steps).toEqual(["resyncing", "default/a", "default/b", "synced", "resyncing", "default/c", "synced"]);
    expect(feed.lists).toBe(4);
    expect(feed.live()).toEqual([
      { resource: SERVICES, startRevision: 21 },
      { resource: PODS, startRevision: 21 },
    ]);
    await loop.stop();
  });

  it("answers a failed sync with a full resync when retry is by resync", async () => {
    const { feed, loop, synced, counted } = run({}, 1);
    await loop.start();
    await expect.poll(() => synced).toEqual(["default/a", "default/b", "default/a", "default/b"]);
    expect(feed.lists).toBe(4);
    expect(counted).toEqual(["default/a error", "default/b written", "default/a written", "default/b written"]);
    await loop.stop();
  });

  it("retries a failed key alone when retry is by backoff, after a delay that doubles with each failure, while the others carry on", async () => {
    vi.useFakeTimers();
    const { feed, loop, synced } = run({ retry: { by: "backoff", maxMs: 1000 } }, 2);
    await loop.start();
    expect(synced).toEqual(["default/a", "default/b"]);
    await vi.advanceTimersByTimeAsync(RETRY_MS);
    expect(synced).toEqual(["default/a", "default/b", "default/a"]);
    await vi.advanceTimersByTimeAsync(2 * RETRY_MS - 1);
    expect(synced).toHaveLength(3);
    await vi.advanceTimersByTimeAsync(1);
    expect(synced).toEqual(["default/a", "default/b", "default/a", "default/a"]);
    expect(feed.lists).toBe(2);
    await loop.stop();
  });

  it("syncs a key again at once after a conflict, returned or thrown as isConflict says, and counts it as one", async () => {
    const outcomes: (SyncResult | Error)[] = ["conflict", new Error("409"), "written"];
    const { loop, counted } = run({
      relist: () => ({ keys: ["default/a"] }),
      sync: () => {
        const next = outcomes.shift() ?? "unchanged";
        return next instanceof Error ? Promise.reject(next) : Promise.resolve(next);
      },
      isConflict: (error) => error instanceof Error && error.message === "409",
    });
    await loop.start();
    expect(counted).toEqual(["default/a conflict", "default/a conflict", "default/a written"]);
    await loop.stop();
  });

  it("keeps the sooner of two planned syncs of a key, and plans none once stopped", async () => {
    vi.useFakeTimers();
    const { loop, synced } = run({ relist: () => ({ keys: [] }) });
    await loop.start();
    loop.addAfter("default/a", 50);
    loop.addAfter("default/a", 20);
    loop.addAfter("default/a", 80);
    await vi.advanceTimersByTimeAsync(20);
    expect(synced).toEqual(["default/a"]);
    await vi.advanceTimersByTimeAsync(100);
    expect(synced).toEqual(["default/a"]);
    loop.addAfter("default/b", 10);
    await loop.stop();
    await vi.advanceTimersByTimeAsync(100);
    expect(synced).toEqual(["default/a"]);
  });

  it("fails to start when a list fails, leaving no watch behind", async () => {
    const { feed, loop } = run();
    feed.failingLists = 1;
    await expect(loop.start()).rejects.toThrow("etcd is unreachable");
    expect(feed.live()).toEqual([]);
  });
});
