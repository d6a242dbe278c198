import { describe, expect, it } from "vitest";
import { COLUMNS, humanAge } from "./columns.js";
import { toTable, wantsTable } from "./table.js";
import { resourceByKind } from "../api/resources.js";

describe("server-side printing", () => {
  const now = Date.parse("2026-01-02T00:00:00Z");

  it.each([
    ["2026-01-01T23:59:15Z", "45s"],
    ["2026-01-01T23:56:50Z", "3m10s"],
    ["2026-01-01T23:30:00Z", "30m"],
    ["2026-01-01T19:00:00Z", "5h"],
    ["2026-01-01T00:00:00Z", "24h"],
    ["2025-12-20T00:00:00Z", "13d"],
  ])("writes the age of %s as %s", (created, age) => {
    expect(humanAge(created, now)).toBe(age);
  });

  it("recognizes kubectl's Accept header", () => {
    expect(wantsTable("application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json")).toBe(true);
    expect(wantsTable("application/json")).toBe(false);
    expect(wantsTable(undefined)).toBe(false);
  });

  it("prints a service like kube-apiserver's printer", () => {
    const svc = {
      metadata: { name: "my-nginx", creationTimestamp: "2026-01-01T23:59:00Z" },
      spec: { type: "ClusterIP", clusterIP: "10.0.0.53", ports: [{ port: 53, protocol: "UDP" }, { port: 53, protocol: "TCP" }], selector: { app: "dns" } },
    };
    const cells = (COLUMNS["services"] ?? []).map((c) => c.cell(svc, now));
    expect(cells).toEqual(["my-nginx", "ClusterIP", "10.0.0.53", "<none>", "53/UDP,53/TCP", "60s", "app=dns"]);
    const table = toTable(resourceByKind("Service"), [svc], { resourceVersion: "7" });
    expect(table["kind"]).toBe("Table");
    expect((table["rows"] as { object: { kind: string } }[])[0]?.object.kind).toBe("PartialObjectMetadata");
    const nodePort = { ...svc, spec: { ...svc.spec, type: "NodePort", ports: [{ port: 80, nodePort: 30080, protocol: "TCP" }] } };
    expect((COLUMNS["services"] ?? [])[4]?.cell(nodePort, now)).toBe("80:30080/TCP");
  });

  it("prints a Deployment and a ReplicationController like kube-apiserver's printers, wide columns included", () => {
    const template = { metadata: { labels: { run: "my-nginx" } }, spec: { containers: [{ name: "my-nginx", image: "nginx" }, { name: "sidecar", image: "busybox" }] } };
    const deploy = {
      metadata: { name: "my-nginx", creationTimestamp: "2026-01-01T23:59:00Z" },
      spec: { replicas: 3, selector: { matchLabels: { run: "my-nginx" }, matchExpressions: [{ key: "tier", operator: "Exists" }] }, template },
      status: { replicas: 3, updatedReplicas: 3, readyReplicas: 2, availableReplicas: 2 },
    };
    expect((COLUMNS["deployments"] ?? []).map((c) => c.name)).toEqual(["Name", "Ready", "Up-to-date", "Available", "Age", "Containers", "Images", "Selector"]);
    expect((COLUMNS["deployments"] ?? []).map((c) => c.cell(deploy, now))).toEqual(["my-nginx", "2/3", 3, 2, "60s", "my-nginx,sidecar", "nginx,busybox", "run=my-nginx,tier"]);
    expect((COLUMNS["deployments"] ?? []).map((c) => c.cell({ metadata: { name: "new" }, spec: { selector: {}, template } }, now)).slice(0, 4)).toEqual(["new", "0/1", 0, 0]);
    const rc = { metadata: { name: "kube-dns-v11", creationTimestamp: "2026-01-01T23:59:00Z" }, spec: { replicas: 2, selector: { version: "v11", "k8s-app": "kube-dns" }, template }, status: { replicas: 1 } };
    expect((COLUMNS["replicationcontrollers"] ?? []).map((c) => c.cell(rc, now))).toEqual(["kube-dns-v11", 2, 1, 0, "60s", "my-nginx,sidecar", "nginx,busybox", "k8s-app=kube-dns,version=v11"]);
  });
});
