import { describe, expect, it } from "vitest";
import { parseRequestInfo } from "./request-info.js";

describe("parseRequestInfo", () => {
  it.each([
    ["/api/v1/namespaces/default/services", "services", "default", undefined, undefined, false],
    ["/api/v1/namespaces/default/services/my-nginx", "services", "default", "my-nginx", undefined, false],
    ["/api/v1/namespaces/default/pods/nginx-1/status", "pods", "default", "nginx-1", "status", false],
    ["/api/v1/services", "services", undefined, undefined, undefined, false],
    ["/api/v1/namespaces", "namespaces", undefined, undefined, undefined, false],
    ["/api/v1/namespaces/kube-system", "namespaces", undefined, "kube-system", undefined, false],
    ["/api/v1/namespaces/kube-system/status", "namespaces", undefined, "kube-system", "status", false],
    ["/api/v1/watch/namespaces/default/endpoints", "endpoints", "default", undefined, undefined, true],
    ["/api/v1/watch/pods", "pods", undefined, undefined, undefined, true],
    ["/apis/discovery.k8s.io/v1/namespaces/default/endpointslices/x", "endpointslices", "default", "x", undefined, false],
    ["/apis/discovery.k8s.io/v1/endpointslices", "endpointslices", undefined, undefined, undefined, false],
    ["/apis/apps/v1/namespaces/default/deployments/my-nginx/scale", "deployments", "default", "my-nginx", "scale", false],
    ["/api/v1/namespaces/kube-system/replicationcontrollers/kube-dns-v11", "replicationcontrollers", "kube-system", "kube-dns-v11", undefined, false],
  ])("reads %s", (path, resource, namespace, name, subresource, watchPath) => {
    const info = parseRequestInfo(path);
    expect(info.type).toBe("resource");
    if (info.type !== "resource") return;
    expect([info.resource.name, info.namespace, info.name, info.subresource, info.watchPath]).toEqual([resource, namespace, name, subresource, watchPath]);
  });

  it.each([["/api/v1/deployments"], ["/apis/batch/v1/namespaces/default/jobs"], ["/apis/apps/v1/namespaces/default/replicasets"], ["/api/v1/namespaces/default/services/a/b/c"], ["/api/v2/services"]])(
    "reports %s as a resource not served",
    (path) => {
      expect(parseRequestInfo(path).type).toBe("unknown-resource");
    },
  );

  it.each([["/version"], ["/api"], ["/api/v1"], ["/apis"], ["/apis/discovery.k8s.io/v1"], ["/apis/apps/v1"], ["/healthz"]])("leaves %s to the other routes", (path) => {
    expect(parseRequestInfo(path).type).toBe("other");
  });

  it("refuses a malformed percent-encoding with a 400", () => {
    expect(() => parseRequestInfo("/api/v1/namespaces/%E0%A4%A/services")).toThrow(/malformed URL path/);
  });
});
