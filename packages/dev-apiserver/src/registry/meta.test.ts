import { describe, expect, it } from "vitest";
import { carryOver, generateName, stampCreate, validateLabels, validateName } from "./meta.js";

describe("object metadata", () => {
  it.each([
    ["my-nginx", "dns1035-label", true],
    ["1-nginx", "dns1035-label", false],
    ["1-nginx", "dns1123-label", true],
    ["nginx.example.org", "dns1123-subdomain", true],
    ["nginx.example.org", "dns1123-label", false],
    ["Nginx", "dns1123-subdomain", false],
    ["nginx-", "dns1123-subdomain", false],
    ["a".repeat(64), "dns1035-label", false],
    ["", "dns1123-subdomain", false],
  ] as const)("validates %j as a %s: %s", (name, rule, valid) => {
    expect(validateName(name, rule).length === 0).toBe(valid);
  });

  it("validates label keys and values", () => {
    expect(validateLabels({ app: "nginx", "example.org/team": "dns", empty: "" })).toEqual([]);
    expect(validateLabels({ "bad key": "x" })).toHaveLength(1);
    expect(validateLabels({ app: "not valid!" })).toHaveLength(1);
  });

  it("stamps a uid and a second-precision timestamp and drops what the client may not set", () => {
    const meta = stampCreate({ name: "x", resourceVersion: "5", uid: "client-uid", labels: { a: "1" } }, "x", "default");
    expect(meta.uid).toMatch(/^[0-9a-f-]{36}$/);
    expect(meta.uid).not.toBe("client-uid");
    expect(meta.creationTimestamp).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    expect(meta).toMatchObject({ name: "x", namespace: "default", labels: { a: "1" } });
    expect(meta.resourceVersion).toBeUndefined();
  });

  it("keeps uid, creationTimestamp and generation across an update", () => {
    const old = { name: "x", namespace: "default", uid: "u", creationTimestamp: "2026-01-01T00:00:00Z", generation: 3 };
    expect(carryOver({ name: "x", uid: "forged", creationTimestamp: "1999-01-01T00:00:00Z", generation: 9, labels: { b: "2" } }, old)).toEqual({ ...old, labels: { b: "2" } });
  });

  it("generates names from a prefix", () => {
    expect(generateName("my-nginx-")).toMatch(/^my-nginx-[a-z0-9]{5}$/);
  });
});
