import { describe, expect, it } from "vitest";
import { EndpointsIndex } from "./endpoints-index.js";
import type { KubeObject } from "../api/types.js";

const service = (namespace: string, name: string, selector?: Record<string, string>, type = "ClusterIP"): KubeObject => ({
  apiVersion: "v1",
  kind: "Service",
  metadata: { name, namespace },
  spec: { type, ...(selector === undefined ? {} : { selector }) },
});
const pod = (namespace: string, name: string, labels?: unknown): KubeObject => ({ apiVersion: "v1", kind: "Pod", metadata: { name, namespace, labels: labels as Record<string, string> } });
const names = (pods: KubeObject[]): string[] => pods.map((p) => p.metadata.name ?? "").sort();

describe("EndpointsIndex", () => {
  it("finds the services whose selector matches a pod, in the pod's namespace only", () => {
    const index = new EndpointsIndex();
    index.setService(service("default", "web", { app: "web" }));
    index.setService(service("default", "web-canary", { app: "web", track: "canary" }));
    index.setService(service("default", "plain"));
    index.setService(service("default", "external", { app: "web" }, "ExternalName"));
    index.setService(service("other", "web", { app: "web" }));
    expect(index.servicesSelecting(pod("default", "a", { app: "web" })).sort()).toEqual(["default/web"]);
    expect(index.servicesSelecting(pod("default", "b", { track: "canary", app: "web" })).sort()).toEqual(["default/web", "default/web-canary"]);
    expect(index.servicesSelecting(pod("default", "c", { app: "db" }))).toEqual([]);
    expect(index.servicesSelecting(pod("default", "d"))).toEqual([]);
  });

  it("forgets a service's old selector when it changes, and the service when it goes", () => {
    const index = new EndpointsIndex();
    const key = index.setService(service("default", "web", { app: "web" }));
    index.setService(service("default", "web", { app: "site" }));
    expect(index.servicesSelecting(pod("default", "a", { app: "web" }))).toEqual([]);
    expect(index.servicesSelecting(pod("default", "b", { app: "site" }))).toEqual([key]);
    expect(index.deleteService(service("default", "web"))).toBe(key);
    expect(index.servicesSelecting(pod("default", "b", { app: "site" }))).toEqual([]);
    expect(index.service(key)).toBeUndefined();
    expect([...index.serviceKeys()]).toEqual([]);
  });

  it("offers a sync the pods carrying the selector's rarest pair, not every pod of the namespace", () => {
    const index = new EndpointsIndex();
    for (let i = 0; i < 50; i++) index.setPod(pod("default", `web-${i}`, { tier: "front", app: i < 3 ? "web" : `other-${i}` }));
    index.setPod(pod("elsewhere", "web-x", { tier: "front", app: "web" }));
    expect(names(index.podsFor("default", { tier: "front", app: "web" }))).toEqual(["web-0", "web-1", "web-2"]);
    expect(index.podsFor("default", { tier: "back", app: "web" })).toEqual([]);
    index.deletePod(pod("default", "web-1"));
    index.setPod(pod("default", "web-2", { tier: "front" }));
    expect(names(index.podsFor("default", { app: "web" }))).toEqual(["web-0"]);
  });

  it("files a pod whose labels are not an object (written straight into etcd) under none", () => {
    const index = new EndpointsIndex();
    index.setService(service("default", "web", { 0: "w" }));
    index.setPod(pod("default", "odd", "web"));
    expect(index.podsFor("default", { 0: "w" })).toEqual([]);
    expect(index.servicesSelecting(pod("default", "odd", "web"))).toEqual([]);
  });
});
