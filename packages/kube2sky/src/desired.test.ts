import { describe, expect, it } from "vitest";
import { desiredState, unitRecords } from "./desired.js";
import type { EndpointGroup, Service } from "./objects.js";
import { Store } from "./store.js";
import { podUnit, SCHEMA_UNIT, serviceUnit, type UnitId } from "./unit.js";

const ZONE = "cluster.local.";
const web: Service = { namespace: "default", name: "web", type: "ClusterIP", clusterIPs: ["None"], externalName: "", ports: [], publishNotReadyAddresses: false };
const slice = (source: string, ip: string): EndpointGroup => ({
  namespace: "default",
  serviceName: "web",
  source,
  endpoints: [{ addresses: [ip], ready: true, hostname: "" }],
  ports: [],
});

describe("desiredState", () => {
  it("has the schema unit, one unit per service and one per pod IP", () => {
    const state = desiredState([web], [slice("slice/default/a", "10.244.1.5")], [{ namespace: "default", name: "p", ips: ["10.244.1.5"] }], ZONE);
    expect([...state.keys()].sort()).toEqual([podUnit("default", "10.244.1.5"), SCHEMA_UNIT, serviceUnit("default", "web")].sort());
    expect(state.get(serviceUnit("default", "web"))?.records.size).toBe(2); // A and PTR
  });

  it("merges every slice of a service", () => {
    const state = desiredState([web], [slice("slice/default/a", "10.244.1.5"), slice("slice/default/b", "10.244.2.7")], [], ZONE);
    expect(state.get(serviceUnit("default", "web"))?.records.size).toBe(4); // two A, two PTR
  });
});

describe("Store and unitRecords", () => {
  it("keeps a shared pod IP's record until the last pod holding it is gone (v1.2 bug 6)", () => {
    const store = new Store();
    const unit = podUnit("kube-system", "192.0.2.10");
    expect(store.setPod({ namespace: "kube-system", name: "a", ips: ["192.0.2.10"] })).toEqual([unit]);
    store.setPod({ namespace: "kube-system", name: "b", ips: ["192.0.2.10"] });
    expect(store.deletePod("kube-system", "a")).toEqual([unit]);
    expect(unitRecords(unit, store, ZONE).records.size).toBe(1);
    store.deletePod("kube-system", "b");
    expect(unitRecords(unit, store, ZONE).records.size).toBe(0);
  });

  it("moves a pod's record when its IP changes", () => {
    const store = new Store();
    store.setPod({ namespace: "default", name: "p", ips: [] });
    expect(store.setPod({ namespace: "default", name: "p", ips: ["10.244.1.5"] })).toEqual([podUnit("default", "10.244.1.5")]);
    expect(store.setPod({ namespace: "default", name: "p", ips: ["10.244.1.6"] }).sort()).toEqual([podUnit("default", "10.244.1.5"), podUnit("default", "10.244.1.6")]);
  });

  it("drops a service's headless records when its endpoints are deleted (v1.2 bug 3)", () => {
    const store = new Store();
    store.setService(web);
    store.setGroups("endpoints/default/web", [slice("endpoints/default/web", "10.244.1.5")]);
    expect(unitRecords(serviceUnit("default", "web"), store, ZONE).records.size).toBe(2);
    expect(store.setGroups("endpoints/default/web", [])).toEqual([serviceUnit("default", "web")]);
    expect(unitRecords(serviceUnit("default", "web"), store, ZONE).records.size).toBe(0);
  });

  it("gives a deleted service no records and an unknown unit none", () => {
    const store = new Store();
    store.setService(web);
    store.deleteService("default", "web");
    expect(unitRecords(serviceUnit("default", "web"), store, ZONE).records.size).toBe(0);
    expect(unitRecords("weird" as UnitId, store, ZONE).records.size).toBe(0);
  });
});
