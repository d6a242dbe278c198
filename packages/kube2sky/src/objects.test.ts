import { describe, expect, it } from "vitest";
import { toEndpointGroupFromSlice, toEndpointGroupsFromEndpoints, toPod, toService } from "./objects.js";

describe("converting API objects at the edge", () => {
  it("reads a dual-stack service's clusterIPs, defaults protocol, honours the tolerate-unready annotation", () => {
    const service = toService({
      metadata: { namespace: "default", name: "web", annotations: { "service.alpha.kubernetes.io/tolerate-unready-endpoints": "true" } },
      spec: { clusterIP: "10.0.0.5", clusterIPs: ["10.0.0.5", "fd00::5"], ports: [{ name: "http", port: 80 }] },
    });
    expect(service).toEqual({
      namespace: "default",
      name: "web",
      type: "ClusterIP",
      clusterIPs: ["10.0.0.5", "fd00::5"],
      externalName: "",
      ports: [{ name: "http", protocol: "TCP", port: 80 }],
      publishNotReadyAddresses: true,
    });
    expect(toService({ metadata: { namespace: "a", name: "b" }, spec: { clusterIP: "10.0.0.6" } }).clusterIPs).toEqual(["10.0.0.6"]);
  });

  it("reads an EndpointSlice: nil ready means ready, FQDN slices and unlabelled slices give nothing", () => {
    const raw = {
      metadata: { namespace: "default", name: "web-abc", labels: { "kubernetes.io/service-name": "web" } },
      addressType: "IPv4",
      endpoints: [{ addresses: ["10.244.1.5"], hostname: "web-0" }, { addresses: ["10.244.2.7"], conditions: { ready: false } }],
      ports: [{ name: "http", port: 80 }],
    };
    const [group] = toEndpointGroupFromSlice(raw);
    expect(group?.serviceName).toBe("web");
    expect(group?.endpoints.map((e) => e.ready)).toEqual([true, false]);
    expect(group?.endpoints[0]?.hostname).toBe("web-0");
    expect(toEndpointGroupFromSlice({ ...raw, addressType: "FQDN" })).toEqual([]);
    expect(toEndpointGroupFromSlice({ ...raw, metadata: { namespace: "default", name: "x" } })).toEqual([]);
  });

  it("reads v1 Endpoints with v1.2's hostnames-map annotation, and reports one that is not JSON", () => {
    const subsets = [{ addresses: [{ ip: "10.244.1.5" }], notReadyAddresses: [{ ip: "10.244.9.9" }], ports: [{ name: "http", port: 80, protocol: "TCP" }] }];
    const good = toEndpointGroupsFromEndpoints({
      metadata: { namespace: "default", name: "web", annotations: { "endpoints.beta.kubernetes.io/hostnames-map": '{"10.244.1.5":{"HostName":"web-0"}}' } },
      subsets,
    });
    expect(good[0]?.endpoints).toEqual([
      { addresses: ["10.244.1.5"], ready: true, hostname: "web-0" },
      { addresses: ["10.244.9.9"], ready: false, hostname: "" },
    ]);
    const reasons: string[] = [];
    const bad = toEndpointGroupsFromEndpoints(
      { metadata: { namespace: "default", name: "web", annotations: { "endpoints.beta.kubernetes.io/hostnames-map": "{oops" } }, subsets },
      (r) => reasons.push(r),
    );
    expect(bad[0]?.endpoints[0]?.hostname).toBe("");
    expect(reasons[0]).toMatch(/not JSON/);
  });

  it("reads pod IPs, none before the pod has one", () => {
    expect(toPod({ metadata: { namespace: "d", name: "p" }, status: { podIP: "10.244.1.5" } }).ips).toEqual(["10.244.1.5"]);
    expect(toPod({ metadata: { namespace: "d", name: "p" }, status: { podIPs: [{ ip: "10.244.1.5" }, { ip: "fd00::5" }] } }).ips).toHaveLength(2);
    expect(toPod({ metadata: { namespace: "d", name: "p" } }).ips).toEqual([]);
  });
});
