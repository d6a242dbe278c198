import { describe, expect, it } from "vitest";
import { service, useHarness, type ApiBody } from "./harness.js";

const names = (list: ApiBody): string[] => (list.items ?? []).map((i) => i.metadata?.name ?? "");

describe("services: cluster IPs, defaults, selectors and patches", () => {
  const harness = useHarness({ serviceRange: "10.0.0.0/28" });
  const services = "/api/v1/namespaces/default/services";



  it("honours a requested cluster IP and refuses it with 422 while taken or outside the range", async () => {
    const dns = await harness().request("POST", services, service("kube-dns", { clusterIP: "10.0.0.10" }));
    expect([dns.code, dns.body.spec?.["clusterIP"], dns.body.spec?.["clusterIPs"]]).toEqual([201, "10.0.0.10", ["10.0.0.10"]]);
    const taken = await harness().request("POST", services, service("thief", { clusterIP: "10.0.0.10" }));
    expect([taken.code, taken.body.reason]).toEqual([422, "Invalid"]);
    expect(taken.body.message).toContain("provided IP is already allocated");
    const outside = await harness().request("POST", services, service("far", { clusterIP: "10.0.1.10" }));
    expect([outside.code, outside.body.reason]).toEqual([422, "Invalid"]);
    expect(outside.body.message).toContain("The range of valid IPs is 10.0.0.0/28");
    const kubernetes = await harness().request("POST", services, service("second-kubernetes", { clusterIP: "10.0.0.1" }));
    expect(kubernetes.code).toBe(422);
    expect((await harness().request("DELETE", `${services}/kube-dns`)).code).toBe(200);
    expect((await harness().request("POST", services, service("thief", { clusterIP: "10.0.0.10" }))).code).toBe(201);
  });

  it("allocates distinct free IPs until the range is full, then fails", async () => {
    // 10.0.0.0/28 has 14 usable addresses: 10.0.0.1 (kubernetes) and 10.0.0.10 (thief) are taken.
    const created = await Promise.all(Array.from({ length: 12 }, (_, i) => harness().request("POST", services, service(`fill-${i}`))));
    expect(created.map((c) => c.code)).toEqual(Array(12).fill(201));
    const ips = created.map((c) => c.body.spec?.["clusterIP"] as string);
    expect(new Set([...ips, "10.0.0.1", "10.0.0.10"]).size).toBe(14);
    const full = await harness().request("POST", services, service("one-too-many"));
    expect(full.code).toBe(500);
    expect(full.body.message).toContain("range is full");
    await Promise.all(created.map((_, i) => harness().request("DELETE", `${services}/fill-${i}`)));
  });

  it("makes None headless and gives ExternalName no IP", async () => {
    const headless = await harness().request("POST", services, { metadata: { name: "headless" }, spec: { clusterIP: "None", selector: { app: "x" } } });
    expect([headless.code, headless.body.spec?.["clusterIP"], headless.body.spec?.["clusterIPs"]]).toEqual([201, "None", ["None"]]);
    const external = await harness().request("POST", services, { metadata: { name: "ext" }, spec: { type: "ExternalName", externalName: "www.example.org" } });
    expect([external.code, external.body.spec?.["clusterIP"], external.body.spec?.["externalName"]]).toEqual([201, undefined, "www.example.org"]);
    const missing = await harness().request("POST", services, { metadata: { name: "ext2" }, spec: { type: "ExternalName" } });
    expect([missing.code, missing.body.message]).toEqual([422, 'Service "ext2" is invalid: spec.externalName: Required value']);
  });

  it("keeps the cluster IP on an update that omits it and refuses to change it", async () => {
    const created = await harness().request("POST", services, service("stable"));
    const ip = created.body.spec?.["clusterIP"];
    const { clusterIP: _ip, clusterIPs: _ips, ...spec } = created.body.spec ?? {};
    const kept = await harness().request("PUT", `${services}/stable`, { ...created.body, spec });
    expect([kept.code, kept.body.spec?.["clusterIP"]]).toEqual([200, ip]);
    // Cluster IPs are allocated at random, so the new one must be chosen to differ from the one given.
    const other = ip === "10.0.0.14" ? "10.0.0.15" : "10.0.0.14";
    const moved = await harness().request("PUT", `${services}/stable`, { ...kept.body, spec: { ...kept.body.spec, clusterIP: other, clusterIPs: [other] } });
    expect([moved.code, moved.body.reason]).toEqual([422, "Invalid"]);
    expect(moved.body.message).toContain("field is immutable");
  });

  it("applies merge, strategic merge and JSON patches", async () => {
    const merge = await harness().request("PATCH", `${services}/stable`, { metadata: { labels: { app: "web", tier: "front" } } }, "application/merge-patch+json");
    expect(merge.body.metadata?.labels).toEqual({ app: "web", tier: "front" });
    const strategic = await harness().request("PATCH", `${services}/stable`, { metadata: { labels: { tier: null } } }, "application/strategic-merge-patch+json");
    expect(strategic.body.metadata?.labels).toEqual({ app: "web" });
    const json = await harness().request("PATCH", `${services}/stable`, [{ op: "add", path: "/metadata/labels/env", value: "dev" }, { op: "test", path: "/metadata/labels/app", value: "web" }], "application/json-patch+json");
    expect([json.code, json.body.metadata?.labels]).toEqual([200, { app: "web", env: "dev" }]);
    const failedTest = await harness().request("PATCH", `${services}/stable`, [{ op: "test", path: "/metadata/labels/app", value: "db" }], "application/json-patch+json");
    expect(failedTest.code).toBe(400);
    const unchanged = await harness().request("PATCH", `${services}/stable`, { metadata: { labels: { env: "dev" } } }, "application/merge-patch+json");
    expect(unchanged.body.metadata?.resourceVersion).toBe(json.body.metadata?.resourceVersion);
  });

  it("lists by label selector, field selector and across namespaces", async () => {
    const select = async (query: string): Promise<string[]> => names((await harness().request("GET", `${services}?${query}`)).body);
    expect(await select(`labelSelector=${encodeURIComponent("app=web")}`)).toEqual(["stable"]);
    expect(await select(`labelSelector=${encodeURIComponent("app in (web,db),env!=prod")}`)).toEqual(["stable"]);
    expect(await select(`labelSelector=${encodeURIComponent("!app,provider")}`)).toEqual(["kubernetes"]);
    expect(await select(`labelSelector=${encodeURIComponent("app notin (web)")}`)).toEqual(["ext", "headless", "kubernetes", "thief"]);
    expect(await select(`fieldSelector=${encodeURIComponent("metadata.name=thief")}`)).toEqual(["thief"]);
    expect(await select(`fieldSelector=${encodeURIComponent("metadata.name!=thief,metadata.namespace=default")}`)).toEqual(["ext", "headless", "kubernetes", "stable"]);
    await harness().request("POST", "/api/v1/namespaces", { metadata: { name: "other" } });
    await harness().request("POST", "/api/v1/namespaces/other/services", service("elsewhere"));
    const all = await harness().request("GET", `/api/v1/services?fieldSelector=${encodeURIComponent("metadata.namespace!=default")}`);
    expect([all.body.kind, names(all.body)]).toEqual(["ServiceList", ["elsewhere"]]);
  });

  it("deletes a namespace with everything in it, releasing its addresses", async () => {
    const ip = (await harness().request("GET", "/api/v1/namespaces/other/services/elsewhere")).body.spec?.["clusterIP"] as string;
    expect((await harness().request("DELETE", "/api/v1/namespaces/other")).code).toBe(200);
    expect((await harness().request("GET", "/api/v1/namespaces/other/services/elsewhere")).code).toBe(404);
    expect((await harness().request("GET", "/api/v1/namespaces/other")).code).toBe(404);
    expect((await harness().request("POST", services, service("reuse", { clusterIP: ip }))).code).toBe(201);
  });
});
