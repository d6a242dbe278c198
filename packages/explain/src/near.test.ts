import { describe, expect, it } from "vitest";
import { editDistance, nearNames } from "./near.js";

const keys = [
  "/skydns/local/cluster/svc/default/kubernetes/c88f1059",
  "/skydns/local/cluster/svc/default/my-nginx/6e1f3a2b",
  "/skydns/local/cluster/svc/default/my-nginx/_tcp/_http/6e1f3a2b",
  "/skydns/local/cluster/svc/shop/cart/11111111",
  "/skydns/local/cluster/svc/staging/my-nginx/22222222",
];

describe("nearNames", () => {
  it("finds a service of the same name in another namespace, typed as svc.ns", () => {
    expect(nearNames("cart", "default", "cluster.local", keys, "/skydns")).toEqual({ names: ["cart.shop"], namespace: "default", namespaceHasServices: true });
  });

  it("finds names a typo away in the namespace looked in, and the same name elsewhere", () => {
    expect(nearNames("my-ngnix", "default", "cluster.local", keys, "/skydns").names).toEqual(["my-nginx"]);
    expect(nearNames("my-nginx.prod", "default", "cluster.local", keys, "/skydns")).toEqual({ names: ["my-nginx", "my-nginx.staging"], namespace: "prod", namespaceHasServices: false });
    expect(nearNames("crat.shop.svc.cluster.local.", "default", "cluster.local", keys, "/skydns").names).toEqual(["cart.shop"]);
  });

  it("finds nothing for a name unlike any service", () => {
    expect(nearNames("database", "default", "cluster.local", keys, "/skydns").names).toEqual([]);
  });
});

describe("editDistance", () => {
  it("counts insertions, deletions and substitutions", () => {
    expect(editDistance("my-nginx", "my-nginx")).toBe(0);
    expect(editDistance("my-ngnix", "my-nginx")).toBe(2);
    expect(editDistance("nginx", "my-nginx")).toBe(3);
    expect(editDistance("", "abc")).toBe(3);
  });
});
