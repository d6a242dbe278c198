import { describe, expect, it } from "vitest";
import { desiredEndpoints } from "./endpoints-desired.js";
import type { KubeObject } from "../api/types.js";

function service(name: string, spec: Record<string, unknown>, namespace = "default"): KubeObject {
  return { apiVersion: "v1", kind: "Service", metadata: { name, namespace, uid: `uid-${name}`, labels: { app: name } }, spec };
}

function pod(name: string, ip: string, options: { ready?: boolean; labels?: Record<string, string>; namespace?: string; hostname?: string; subdomain?: string; portName?: string } = {}): KubeObject {
  return {
    apiVersion: "v1",
    kind: "Pod",
    metadata: { name, namespace: options.namespace ?? "default", uid: `uid-${name}`, labels: options.labels ?? { app: "web" } },
    spec: {
      nodeName: "dev-node",
      hostname: options.hostname,
      subdomain: options.subdomain,
      containers: [{ name: "c", image: "nginx", ports: [{ name: options.portName ?? "http", containerPort: 8080, protocol: "TCP" }] }],
    },
    status: { phase: "Running", podIP: ip, conditions: [{ type: "Ready", status: options.ready === false ? "False" : "True" }] },
  };
}

const web = service("web", { selector: { app: "web" }, clusterIP: "10.0.0.20", ports: [{ name: "http", port: 80, protocol: "TCP", targetPort: "http" }] });

describe("desiredEndpoints", () => {
  it("leaves services without a selector and ExternalName services alone", () => {
    expect(desiredEndpoints(service("manual", { ports: [{ port: 80 }] }), [])).toBeUndefined();
    expect(desiredEndpoints(service("ext", { type: "ExternalName", externalName: "example.org", selector: { app: "web" } }), [])).toBeUndefined();
  });

  it("resolves a named target port, sorts addresses and puts unready pods in notReadyAddresses", () => {
    const desired = desiredEndpoints(web, [pod("b", "10.244.0.10"), pod("a", "10.244.0.9"), pod("c", "10.244.0.11", { ready: false })]);
    expect(desired?.endpoints["subsets"]).toEqual([
      {
        addresses: [
          { ip: "10.244.0.9", nodeName: "dev-node", targetRef: { kind: "Pod", namespace: "default", name: "a", uid: "uid-a" } },
          { ip: "10.244.0.10", nodeName: "dev-node", targetRef: { kind: "Pod", namespace: "default", name: "b", uid: "uid-b" } },
        ],
        notReadyAddresses: [{ ip: "10.244.0.11", nodeName: "dev-node", targetRef: { kind: "Pod", namespace: "default", name: "c", uid: "uid-c" } }],
        ports: [{ name: "http", port: 8080, protocol: "TCP" }],
      },
    ]);
    const [slice] = desired?.slices ?? [];
    expect(slice?.metadata.labels).toEqual({ app: "web", "kubernetes.io/service-name": "web", "endpointslice.kubernetes.io/managed-by": "endpointslice-controller.k8s.io" });
    expect(slice?.metadata.ownerReferences).toEqual([{ apiVersion: "v1", kind: "Service", name: "web", uid: "uid-web", controller: true, blockOwnerDeletion: true }]);
    expect(slice?.["addressType"]).toBe("IPv4");
    expect(slice?.["ports"]).toEqual([{ name: "http", port: 8080, protocol: "TCP" }]);
    expect((slice?.["endpoints"] as { addresses: string[]; conditions: { ready: boolean } }[]).map((e) => [e.addresses[0], e.conditions.ready])).toEqual([
      ["10.244.0.9", true],
      ["10.244.0.10", true],
      ["10.244.0.11", false],
    ]);
  });

  it("skips pods of other namespaces, other labels, without an IP, or whose named port does not resolve", () => {
    const desired = desiredEndpoints(web, [
      pod("elsewhere", "10.244.0.2", { namespace: "kube-system" }),
      pod("other", "10.244.0.3", { labels: { app: "db" } }),
      pod("pending", ""),
      pod("unnamed", "10.244.0.4", { portName: "metrics" }),
    ]);
    expect(desired?.endpoints["subsets"]).toBeUndefined();
    expect(desired?.slices).toHaveLength(1);
    expect(desired?.slices[0]?.["endpoints"]).toEqual([]);
  });

  it("carries hostname over only when the pod's subdomain is the service", () => {
    const headless = service("web", { selector: { app: "web" }, clusterIP: "None" });
    const desired = desiredEndpoints(headless, [pod("a", "10.244.0.9", { hostname: "a", subdomain: "web" }), pod("b", "10.244.0.10", { hostname: "b", subdomain: "other" })]);
    const subsets = desired?.endpoints["subsets"] as { addresses: { ip: string; hostname?: string }[]; ports?: unknown }[];
    expect(subsets[0]?.addresses.map((a) => [a.ip, a.hostname])).toEqual([
      ["10.244.0.9", "a"],
      ["10.244.0.10", undefined],
    ]);
    expect(subsets[0]?.ports).toBeUndefined();
    expect(desired?.endpoints.metadata.labels).toEqual({ app: "web", "service.kubernetes.io/headless": "" });
    const endpoints = desired?.slices[0]?.["endpoints"] as { hostname?: string }[];
    expect(endpoints.map((e) => e.hostname)).toEqual(["a", undefined]);
  });

  it("splits pods whose named port resolves differently into separate subsets and slices", () => {
    const numbered = pod("n", "10.244.0.5");
    ((numbered["spec"] as { containers: { ports: { containerPort: number }[] }[] }).containers[0]!.ports[0]!).containerPort = 9090;
    const desired = desiredEndpoints(web, [pod("a", "10.244.0.9"), numbered]);
    expect((desired?.endpoints["subsets"] as unknown[]).length).toBe(2);
    expect(desired?.slices.map((s) => s["ports"])).toEqual([[{ name: "http", port: 8080, protocol: "TCP" }], [{ name: "http", port: 9090, protocol: "TCP" }]]);
    expect(new Set(desired?.slices.map((s) => s.metadata.name)).size).toBe(2);
  });

  it("publishes unready pods as ready when the service asks for it", () => {
    const desired = desiredEndpoints({ ...web, spec: { ...(web["spec"] as object), publishNotReadyAddresses: true } }, [pod("c", "10.244.0.11", { ready: false })]);
    expect((desired?.endpoints["subsets"] as { addresses: unknown[] }[])[0]?.addresses).toHaveLength(1);
  });
});
