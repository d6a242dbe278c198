import { randomUUID } from "node:crypto";
import { Etcd3 } from "etcd3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startHarness, type ApiBody, type Harness } from "./harness.js";

const COUNT = 1000;
const PAGE = 128;

describe("paging a list of 1,000 services", () => {
  let harness: Harness;
  let etcd: Etcd3;
  const path = "/api/v1/namespaces/paging/services";

  beforeAll(async () => {
    harness = await startHarness();
    etcd = new Etcd3({ hosts: harness.etcd.clientUrl });
    expect((await harness.request("POST", "/api/v1/namespaces", { metadata: { name: "paging" } })).code).toBe(201);
    // Most are written straight to etcd, 100 per transaction, the way the server stores them (JSON at
    // /registry/services/<ns>/<name>); the last 25 go through the API concurrently.
    const body = (n: number): Record<string, unknown> => ({
      apiVersion: "v1",
      kind: "Service",
      metadata: { name: `svc-${String(n).padStart(4, "0")}`, namespace: "paging", uid: randomUUID(), creationTimestamp: "2026-01-01T00:00:00Z", labels: { parity: n % 2 === 0 ? "even" : "odd" } },
      spec: { clusterIP: "None", clusterIPs: ["None"], type: "ClusterIP" },
    });
    const viaApi = 25;
    for (let start = 0; start < COUNT - viaApi; start += 100) {
      const numbers = Array.from({ length: Math.min(100, COUNT - viaApi - start) }, (_, i) => start + i);
      const puts = numbers.map((n) => ({ request_put: { key: Buffer.from(`/registry/services/paging/svc-${String(n).padStart(4, "0")}`), value: Buffer.from(JSON.stringify(body(n))) } }));
      await etcd.kv.txn({ success: puts });
    }
    const created = await Promise.all(Array.from({ length: viaApi }, (_, i) => harness.request("POST", path, body(COUNT - viaApi + i))));
    expect(created.map((r) => r.code)).toEqual(Array(viaApi).fill(201));
  });

  afterAll(async () => {
    etcd?.close();
    await harness?.stop();
  });

  // pages follows continue tokens, at most maxPages of them.
  const pages = async (query: string, maxPages = 50): Promise<ApiBody[]> => {
    const seen: ApiBody[] = [];
    let token: string | undefined;
    do {
      const { code, body } = await harness.request("GET", `${path}?${query}${token ? `&continue=${encodeURIComponent(token)}` : ""}`);
      expect(code).toBe(200);
      seen.push(body);
      token = body.metadata?.continue;
    } while (token !== undefined && seen.length < maxPages);
    return seen;
  };

  it("returns every service exactly once, in pages of the limit, at one resourceVersion", async () => {
    const listed = await pages(`limit=${PAGE}`);
    expect(listed).toHaveLength(Math.ceil(COUNT / PAGE));
    expect(listed.slice(0, -1).every((p) => p.items?.length === PAGE)).toBe(true);
    const names = listed.flatMap((p) => (p.items ?? []).map((i) => i.metadata?.name));
    expect(names).toHaveLength(COUNT);
    expect(new Set(names).size).toBe(COUNT);
    expect(names[0]).toBe("svc-0000");
    expect(names[COUNT - 1]).toBe("svc-0999");
    expect(new Set(listed.map((p) => p.metadata?.resourceVersion)).size).toBe(1);
    expect(listed[listed.length - 1]?.metadata?.continue).toBeUndefined();
  });

  it("fills pages with a label selector and keeps the first page's snapshot when objects change between pages", async () => {
    const [first] = await pages(`limit=100&labelSelector=parity%3Dodd`, 1);
    expect(first?.items?.length).toBe(100);
    expect((first?.items ?? []).every((i) => i.metadata?.labels?.["parity"] === "odd")).toBe(true);
    await harness.request("DELETE", `${path}/svc-0999`);
    let token = first?.metadata?.continue;
    const names = (first?.items ?? []).map((i) => i.metadata?.name);
    for (let i = 0; token !== undefined && i < 10; i++) {
      const { body } = await harness.request("GET", `${path}?limit=100&labelSelector=parity%3Dodd&continue=${encodeURIComponent(token)}`);
      names.push(...(body.items ?? []).map((item) => item.metadata?.name));
      token = body.metadata?.continue;
    }
    expect(names).toHaveLength(COUNT / 2);
    expect(names).toContain("svc-0999");
  });

  it("answers 410 Expired to a continue token whose revision was compacted", async () => {
    const [first] = await pages("limit=10", 1);
    await harness.request("DELETE", `${path}/svc-0001`);
    const revision = Number((await harness.request("GET", `${path}?limit=1`)).body.metadata?.resourceVersion);
    await etcd.kv.compact({ revision, physical: true });
    const { code, body } = await harness.request("GET", `${path}?limit=10&continue=${encodeURIComponent(first?.metadata?.continue ?? "")}`);
    expect([code, body.kind, body.reason, body.code]).toEqual([410, "Status", "Expired", 410]);
    expect(body.message).toContain("continue parameter is too old");
  });

  it("refuses a continue token it did not issue", async () => {
    const { code, body } = await harness.request("GET", `${path}?limit=10&continue=garbage`);
    expect([code, body.reason]).toEqual([400, "BadRequest"]);
  });
});
