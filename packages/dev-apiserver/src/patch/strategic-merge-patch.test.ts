import { describe, expect, it } from "vitest";
import { applyStrategicMergePatch } from "./strategic-merge-patch.js";

const service = {
  metadata: { name: "my-nginx", labels: { run: "my-nginx" }, finalizers: ["a"] },
  spec: { ports: [{ name: "http", port: 80, protocol: "TCP" }, { name: "https", port: 443, protocol: "TCP" }], selector: { run: "my-nginx" } },
};

describe("applyStrategicMergePatch", () => {
  it("merges maps and removes keys set to null, as kubectl label sends", () => {
    const patched = applyStrategicMergePatch(service, { metadata: { labels: { tier: "web", run: null } } }) as typeof service;
    expect(patched.metadata.labels).toEqual({ tier: "web" });
    expect(service.metadata.labels).toEqual({ run: "my-nginx" });
  });

  it("replaces a service port the way kubectl apply sends it, with $setElementOrder and $patch: delete", () => {
    const patch = { spec: { "$setElementOrder/ports": [{ port: 8080 }, { port: 443 }], ports: [{ port: 8080, protocol: "TCP", name: "http" }, { $patch: "delete", port: 80 }] } };
    const patched = applyStrategicMergePatch(service, patch) as typeof service;
    expect(patched.spec.ports).toEqual([{ port: 8080, protocol: "TCP", name: "http" }, { name: "https", port: 443, protocol: "TCP" }]);
  });

  it("merges a container by name and its ports by containerPort", () => {
    const pod = { spec: { containers: [{ name: "web", image: "nginx:1.26", ports: [{ containerPort: 80, name: "http" }] }, { name: "side", image: "busybox" }] } };
    const patch = { spec: { containers: [{ name: "web", image: "nginx:1.27", ports: [{ containerPort: 80, protocol: "TCP" }] }] } };
    expect(applyStrategicMergePatch(pod, patch)).toEqual({
      spec: { containers: [{ name: "web", image: "nginx:1.27", ports: [{ containerPort: 80, name: "http", protocol: "TCP" }] }, { name: "side", image: "busybox" }] },
    });
  });

  it("merges a Deployment's template containers by name and their ports by containerPort, and retains a strategy's keys", () => {
    const deployment = {
      spec: {
        strategy: { type: "RollingUpdate", rollingUpdate: { maxSurge: "25%", maxUnavailable: "25%" } },
        template: { spec: { containers: [{ name: "web", image: "nginx:1.27", ports: [{ containerPort: 80, protocol: "TCP" }] }, { name: "side", image: "busybox" }] } },
      },
    };
    // What kubectl apply sends for a new image and port, and a switch to Recreate.
    const patch = {
      spec: {
        strategy: { $retainKeys: ["type"], type: "Recreate", rollingUpdate: null },
        template: { spec: { "$setElementOrder/containers": [{ name: "web" }, { name: "side" }], containers: [{ name: "web", image: "nginx:1.28", ports: [{ containerPort: 9113, name: "metrics" }] }] } },
      },
    };
    expect(applyStrategicMergePatch(deployment, patch)).toEqual({
      spec: {
        strategy: { type: "Recreate" },
        template: { spec: { containers: [{ name: "web", image: "nginx:1.28", ports: [{ containerPort: 80, protocol: "TCP" }, { containerPort: 9113, name: "metrics" }] }, { name: "side", image: "busybox" }] } },
      },
    });
  });

  it("replaces lists without a merge key, and a list marked $patch: replace", () => {
    const slice = { endpoints: [{ addresses: ["10.244.0.1"] }, { addresses: ["10.244.0.2"] }] };
    expect(applyStrategicMergePatch(slice, { endpoints: [{ addresses: ["10.244.0.3"] }] })).toEqual({ endpoints: [{ addresses: ["10.244.0.3"] }] });
    const replaced = applyStrategicMergePatch(service, { spec: { ports: [{ $patch: "replace" }, { port: 53, protocol: "UDP" }] } }) as typeof service;
    expect(replaced.spec.ports).toEqual([{ port: 53, protocol: "UDP" }]);
  });

  it("merges finalizers as a set and honours $deleteFromPrimitiveList and $retainKeys", () => {
    const added = applyStrategicMergePatch(service, { metadata: { finalizers: ["b", "a"] } }) as typeof service;
    expect(added.metadata.finalizers).toEqual(["a", "b"]);
    const removed = applyStrategicMergePatch(added, { metadata: { "$deleteFromPrimitiveList/finalizers": ["a"] } }) as typeof service;
    expect(removed.metadata.finalizers).toEqual(["b"]);
    const retained = applyStrategicMergePatch({ spec: { a: 1, b: 2 } }, { spec: { $retainKeys: ["a", "c"], c: 3 } });
    expect(retained).toEqual({ spec: { a: 1, c: 3 } });
  });

  it("merges pod conditions by type, as a status patch does", () => {
    const status = { status: { conditions: [{ type: "Ready", status: "True" }, { type: "Initialized", status: "True" }] } };
    expect(applyStrategicMergePatch(status, { status: { conditions: [{ type: "Ready", status: "False" }] } })).toEqual({
      status: { conditions: [{ type: "Ready", status: "False" }, { type: "Initialized", status: "True" }] },
    });
  });

  it("refuses a patch that is not an object", () => {
    expect(() => applyStrategicMergePatch(service, ["x"])).toThrow(/must be a JSON object/);
  });
});
