import { describe, expect, it } from "vitest";
import { parseUnit, podUnit, SCHEMA_UNIT, serviceUnit, unitId } from "./unit.js";

describe("units", () => {
  it.each([
    [{ kind: "service", namespace: "default", name: "web" }, "service/default/web"],
    [{ kind: "pod", namespace: "default", ip: "10.244.1.5" }, "pod/default/10.244.1.5"],
    [{ kind: "pod", namespace: "default", ip: "fd00::5" }, "pod/default/fd00::5"],
    [{ kind: "schema" }, "schema/dns-version"],
  ] as const)("writes %j as %s and reads it back", (unit, text) => {
    expect(unitId(unit)).toBe(text);
    expect(parseUnit(text)).toEqual(unit);
  });

  it("names services and pods through the same form", () => {
    expect(serviceUnit("kube-system", "kube-dns")).toBe("service/kube-system/kube-dns");
    expect(podUnit("default", "10.0.0.1")).toBe("pod/default/10.0.0.1");
    expect(SCHEMA_UNIT).toBe("schema/dns-version");
  });

  it.each(["", "service", "service/default", "service//web", "service/default/web/extra", "node/x/y", "schema/other"])("reads nothing from %j", (text) => {
    expect(parseUnit(text)).toBeUndefined();
  });
});
