import { describe, expect, it } from "vitest";
import { service, useHarness } from "./harness.js";
import { collectWatch } from "./watch-helper.js";

describe("when etcd goes away and comes back", () => {
  const harness = useHarness();
  const services = "/api/v1/namespaces/default/services";



  it("answers 503 ServiceUnavailable meanwhile, then serves again, and an open watch carries on", async () => {
    const from = (await harness().request("GET", services)).body.metadata?.resourceVersion ?? "";
    const watching = collectWatch(`${harness().server.url}${services}?watch=true&resourceVersion=${from}`, (e) => e.object.metadata?.name === "after-outage", 30_000).catch(
      (error: Error) => error,
    );
    await harness().etcd.halt();
    const down = await harness().request("GET", services);
    expect([down.code, down.body.kind, down.body.reason]).toEqual([503, "Status", "ServiceUnavailable"]);
    await harness().etcd.start();
    // The etcd client waits a few seconds before it tries a failed host again: poll, bounded.
    let created = await harness().request("POST", services, service("after-outage"));
    for (let i = 0; created.code !== 201 && i < 60; i++) {
      expect([created.code, created.body.reason]).toEqual([503, "ServiceUnavailable"]);
      await new Promise((resolve) => setTimeout(resolve, 250));
      created = await harness().request("POST", services, service("after-outage"));
    }
    expect(created.code).toBe(201);
    const events = await watching;
    if (events instanceof Error) throw events;
    expect(events.map((e) => `${e.type} ${e.object.metadata?.name ?? ""}`)).toEqual(["ADDED after-outage"]);
  });
});
