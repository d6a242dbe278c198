import { Etcd3 } from "etcd3";
import { describe, expect, it } from "vitest";
import { connect } from "node:net";
import { service, startHarness, useHarness } from "./harness.js";
import { collectWatch, type WatchEvent } from "./watch-helper.js";

const summary = (events: WatchEvent[]): string[] => events.map((e) => `${e.type} ${e.object.metadata?.name ?? ""}`);

describe("watch", () => {
  const harness = useHarness({ bookmarkIntervalMs: 100 });
  const services = "/api/v1/namespaces/default/services";
  const url = (query: string, path = services): string => `${harness().server.url}${path}?watch=true&${query}`;
  const currentVersion = async (): Promise<string> => (await harness().request("GET", services)).body.metadata?.resourceVersion ?? "";
  const label = (name: string, labels: Record<string, string | null>) => harness().request("PATCH", `${services}/${name}`, { metadata: { labels } }, "application/merge-patch+json");



  it("starts with the current objects as ADDED when resourceVersion is 0", async () => {
    const events = await collectWatch(url("resourceVersion=0"), (e) => e.object.metadata?.name === "kubernetes");
    expect(summary(events)).toEqual(["ADDED kubernetes"]);
  });

  it("shows an object entering and leaving a label selector as ADDED and DELETED", async () => {
    await harness().request("POST", services, service("a", { labels: { app: "db" } }));
    const from = await currentVersion();
    await label("a", { app: "web" });
    await label("a", { tier: "x" });
    await harness().request("POST", services, service("b", { labels: { app: "db" } }));
    await label("a", { app: "db" });
    await harness().request("DELETE", `${services}/b`);
    await harness().request("POST", services, service("c", { labels: { app: "web" } }));
    const events = await collectWatch(url(`resourceVersion=${from}&labelSelector=app%3Dweb`), (e) => e.object.metadata?.name === "c");
    expect(summary(events)).toEqual(["ADDED a", "MODIFIED a", "DELETED a", "ADDED c"]);
    expect(events[2]?.object.metadata?.labels).toEqual({ app: "db", tier: "x" });
  });

  it("watches one object through the /watch/ path", async () => {
    const from = await currentVersion();
    await label("c", { one: "1" });
    await label("a", { two: "2" });
    await label("c", { three: "3" });
    const events = await collectWatch(`${harness().server.url}/api/v1/watch/namespaces/default/services/c?resourceVersion=${from}`, (e) => e.object.metadata?.labels?.["three"] === "3");
    expect(summary(events)).toEqual(["MODIFIED c", "MODIFIED c"]);
  });

  it("ends the initial events with a BOOKMARK when sendInitialEvents is asked for", async () => {
    const events = await collectWatch(url("sendInitialEvents=true&allowWatchBookmarks=true&resourceVersionMatch=NotOlderThan"), (e) => e.type === "BOOKMARK");
    expect(summary(events)).toEqual(["ADDED a", "ADDED c", "ADDED kubernetes", "BOOKMARK "]);
    const bookmark = events[3]?.object;
    expect(bookmark?.kind).toBe("Service");
    expect(bookmark?.metadata).toEqual({ resourceVersion: await currentVersion(), annotations: { "k8s.io/initial-events-end": "true" } });
  });

  it("sends periodic BOOKMARKs carrying the last revision it delivered", async () => {
    const from = await currentVersion();
    await label("a", { bookmarked: "yes" });
    // Bookmarks may come before the change arrives too: wait for one after it.
    const events = await collectWatch(url(`resourceVersion=${from}&allowWatchBookmarks=true`), (e, all) => e.type === "BOOKMARK" && all.some((x) => x.type === "MODIFIED"));
    const modified = events.findIndex((e) => e.type === "MODIFIED");
    expect(summary(events.slice(modified))).toEqual(["MODIFIED a", "BOOKMARK "]);
    const changed = events[modified]?.object.metadata?.resourceVersion;
    expect(events[events.length - 1]?.object.metadata?.resourceVersion).toBe(changed);
    for (const early of events.slice(0, modified)) expect([early.type, early.object.metadata?.resourceVersion]).toEqual(["BOOKMARK", from]);
  });

  it("ends a watch from a compacted revision with an ERROR event: 410 Expired", async () => {
    const old = await currentVersion();
    // Compacting at revision C keeps C: a watch from old (starting at old + 1) needs C > old + 1.
    await label("a", { compacted: "soon" });
    await label("a", { compacted: "now" });
    const etcd = new Etcd3({ hosts: harness().etcd.clientUrl });
    try {
      await etcd.kv.compact({ revision: Number(await currentVersion()), physical: true });
    } finally {
      etcd.close();
    }
    const events = await collectWatch(url(`resourceVersion=${old}`), (e) => e.type === "ERROR");
    expect(events).toHaveLength(1);
    expect(events[0]?.object).toMatchObject({ kind: "Status", apiVersion: "v1", status: "Failure", reason: "Expired", code: 410 });
  });

  it("ends open watches when the server stops", async () => {
    const watching = collectWatch(url(`resourceVersion=${await currentVersion()}`), () => false).then(
      () => "the condition was met",
      (error: Error) => error.message,
    );
    // Make sure the stream is open before the restart: a change it sees proves it.
    const seen = collectWatch(url(`resourceVersion=${await currentVersion()}`), (e) => e.type === "MODIFIED");
    await label("a", { before: "restart" });
    await seen;
    await harness().restart();
    expect(await watching).toMatch(/ended before the condition was met/);
  });
});

describe("stopping with watches whose connections were reset", () => {
  it("stops within seconds even when watch clients reset their connections without a goodbye", async () => {
    const harness = await startHarness();
    try {
      const { port } = new URL(harness.server.url);
      // Ten raw watch connections, each reset (TCP RST) as soon as the server has started streaming to it.
      await Promise.all(
        Array.from({ length: 10 }, () =>
          new Promise<void>((resolve, reject) => {
            const socket = connect(Number(port), "127.0.0.1", () => socket.write("GET /api/v1/services?watch=true&resourceVersion=0 HTTP/1.1\r\nHost: x\r\n\r\n"));
            socket.once("data", () => {
              socket.resetAndDestroy();
              resolve();
            });
            socket.once("error", reject);
          }),
        ),
      );
      const stopped = harness.server.stop().then(() => "stopped");
      const late = new Promise<string>((resolve) => setTimeout(() => resolve("still waiting after 10 s"), 10_000));
      expect(await Promise.race([stopped, late])).toBe("stopped");
    } finally {
      await harness.etcd.stop();
    }
  }, 30_000);
});
