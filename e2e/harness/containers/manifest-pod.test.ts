import { describe, expect, it } from "vitest";
import { manifestContainers, quantityBytes, quantityMillicores } from "./manifest-pod.js";

describe("quantities", () => {
  it.each([
    ["64Mi", 64 * 1024 ** 2],
    ["1Gi", 1024 ** 3],
    ["500M", 500e6],
    ["1048576", 1048576],
  ])("reads memory %s", (quantity, bytes) => {
    expect(quantityBytes(quantity)).toBe(bytes);
  });

  it.each([
    ["100m", 100],
    ["1", 1000],
    ["0.5", 500],
  ])("reads CPU %s", (quantity, millicores) => {
    expect(quantityMillicores(quantity)).toBe(millicores);
  });

  it("refuses what is not a quantity", () => {
    expect(() => quantityBytes("lots")).toThrow(/not a memory quantity/);
  });
});

describe("manifestContainers", () => {
  it("reads the shipped pod's four containers and the probes the kubelet would run", () => {
    const { containers, probes } = manifestContainers();
    expect(containers.map((c) => c.name)).toEqual(["etcd", "kube2sky", "skydns", "healthz"]);
    for (const c of containers) expect(c.limits.bytes).toBeGreaterThan(c.requests.bytes);
    expect(probes.map((p) => `${p.container} ${p.port}${p.path}`).sort()).toEqual(["kube2sky 8081/readiness", "skydns 8080/healthz", "skydns 9153/ready"]);
  });
});
