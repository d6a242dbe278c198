import { Etcd3 } from "etcd3";
import { describe, expect, it } from "vitest";
import { pod, service, useHarness, type ApiBody } from "./harness.js";
import { collectWatch, type WatchEvent } from "./watch-helper.js";

interface Address {
  ip: string;
  hostname?: string;
  targetRef: { name: string };
}
interface Subset {
  addresses?: Address[];
  notReadyAddresses?: Address[];
  ports?: { name?: string; port: number; protocol: string }[];
}
interface SliceEndpoint {
  addresses: string[];
  conditions: { ready: boolean };
  hostname?: string;
  targetRef: { name: string };
}

const readyNames = (endpoints: ApiBody): string[] => ((endpoints["subsets"] as Subset[] | undefined) ?? []).flatMap((s) => (s.addresses ?? []).map((a) => a.targetRef.name)).sort();
const sliceState = (slice: ApiBody): string[] => ((slice["endpoints"] as SliceEndpoint[] | undefined) ?? []).map((e) => `${e.targetRef.name}:${e.conditions.ready}`).sort();

describe("the endpoints controller", () => {
  const harness = useHarness();

  // waitFor watches a collection from its current state until one object satisfies the predicate.
  const waitFor = async (path: string, name: string, predicate: (object: ApiBody) => boolean): Promise<ApiBody> => {
    const events = await collectWatch(`${harness().server.url}${path}?watch=true&fieldSelector=metadata.name%3D${name}`, (e) => e.type !== "DELETED" && e.type !== "BOOKMARK" && predicate(e.object));
    return (events[events.length - 1] as WatchEvent).object;
  };
  const waitForSlice = async (serviceName: string, predicate: (slice: ApiBody) => boolean): Promise<ApiBody> => {
    const url = `${harness().server.url}/apis/discovery.k8s.io/v1/namespaces/default/endpointslices?watch=true&labelSelector=kubernetes.io/service-name%3D${serviceName}`;
    const events = await collectWatch(url, (e) => e.type !== "DELETED" && predicate(e.object));
    return (events[events.length - 1] as WatchEvent).object;
  };
  const endpointsPath = "/api/v1/namespaces/default/endpoints";



  it("fills Endpoints and an EndpointSlice with the ready pods, resolving the named port", async () => {
    expect((await harness().request("POST", "/api/v1/namespaces/default/services", service("my-nginx", { selector: { run: "my-nginx" } }))).code).toBe(201);
    for (const name of ["nginx-1", "nginx-2"]) expect((await harness().request("POST", "/api/v1/namespaces/default/pods", pod(name, { run: "my-nginx" }))).code).toBe(201);
    const endpoints = await waitFor(endpointsPath, "my-nginx", (e) => readyNames(e).length === 2);
    expect(readyNames(endpoints)).toEqual(["nginx-1", "nginx-2"]);
    expect((endpoints["subsets"] as Subset[])[0]?.ports).toEqual([{ name: "http", port: 8080, protocol: "TCP" }]);
    const slice = await waitForSlice("my-nginx", (s) => sliceState(s).length === 2);
    expect(slice["addressType"]).toBe("IPv4");
    expect(slice["ports"]).toEqual([{ name: "http", port: 8080, protocol: "TCP" }]);
    expect(sliceState(slice)).toEqual(["nginx-1:true", "nginx-2:true"]);
    expect(slice.metadata?.generation).toBeGreaterThanOrEqual(1);
  });

  it("moves a pod that stops being ready to notReadyAddresses, and drops a deleted pod", async () => {
    const notReady = { status: { conditions: [{ type: "Ready", status: "False" }] } };
    expect((await harness().request("PATCH", "/api/v1/namespaces/default/pods/nginx-2/status", notReady, "application/merge-patch+json")).code).toBe(200);
    const endpoints = await waitFor(endpointsPath, "my-nginx", (e) => readyNames(e).length === 1);
    expect((endpoints["subsets"] as Subset[])[0]?.notReadyAddresses?.map((a) => a.targetRef.name)).toEqual(["nginx-2"]);
    await waitForSlice("my-nginx", (s) => sliceState(s).join() === "nginx-1:true,nginx-2:false");
    expect((await harness().request("DELETE", "/api/v1/namespaces/default/pods/nginx-1")).code).toBe(200);
    await waitFor(endpointsPath, "my-nginx", (e) => readyNames(e).length === 0);
    await waitForSlice("my-nginx", (s) => sliceState(s).join() === "nginx-2:false");
  });

  it("carries a pod's hostname over when its subdomain is the headless service", async () => {
    const headless = { apiVersion: "v1", kind: "Service", metadata: { name: "web" }, spec: { clusterIP: "None", selector: { app: "web" } } };
    expect((await harness().request("POST", "/api/v1/namespaces/default/services", headless)).code).toBe(201);
    await harness().request("POST", "/api/v1/namespaces/default/pods", pod("web-0", { app: "web" }, { hostname: "web-0", subdomain: "web" }));
    await harness().request("POST", "/api/v1/namespaces/default/pods", pod("web-x", { app: "web" }, { hostname: "web-x", subdomain: "other" }));
    const endpoints = await waitFor(endpointsPath, "web", (e) => readyNames(e).length === 2);
    const addresses = (endpoints["subsets"] as Subset[])[0]?.addresses ?? [];
    expect(addresses.map((a) => [a.targetRef.name, a.hostname])).toEqual(expect.arrayContaining([["web-0", "web-0"], ["web-x", undefined]]));
    expect(endpoints.metadata?.labels).toEqual({ "service.kubernetes.io/headless": "" });
    const slice = await waitForSlice("web", (s) => sliceState(s).length === 2);
    expect((slice["endpoints"] as SliceEndpoint[]).find((e) => e.targetRef.name === "web-0")?.hostname).toBe("web-0");
  });

  it("removes Endpoints and EndpointSlices with their service", async () => {
    const before = await harness().request("GET", "/api/v1/namespaces/default/endpoints/web");
    expect(before.code).toBe(200);
    expect((await harness().request("DELETE", "/api/v1/namespaces/default/services/web")).code).toBe(200);
    const from = before.body.metadata?.resourceVersion ?? "";
    await collectWatch(`${harness().server.url}${endpointsPath}?watch=true&resourceVersion=${from}&fieldSelector=metadata.name%3Dweb`, (e) => e.type === "DELETED");
    const slices = await harness().request("GET", "/apis/discovery.k8s.io/v1/namespaces/default/endpointslices?labelSelector=kubernetes.io/service-name%3Dweb");
    expect(slices.body.items).toEqual([]);
  });

  it("repairs what changed in etcd while the server was down", async () => {
    await harness().server.stop();
    // Delete a pod behind the server's back: only a controller that resyncs from etcd notices.
    const client = new Etcd3({ hosts: harness().etcd.clientUrl });
    try {
      await client.delete().key("/registry/pods/default/nginx-2");
    } finally {
      client.close();
    }
    await harness().restart();
    const endpoints = await waitFor(endpointsPath, "my-nginx", (e) => e["subsets"] === undefined);
    expect(endpoints.metadata?.name).toBe("my-nginx");
    const slice = await waitForSlice("my-nginx", (s) => sliceState(s).length === 0);
    expect(slice["endpoints"]).toEqual([]);
  });
});
