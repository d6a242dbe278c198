import { describe, expect, it } from "vitest";
import { decodeOwned, digestOf, encodeOwned, ownerKeyFor, Ownership, unitOfOwnerKey } from "./ownership.js";
import { serviceUnit } from "./unit.js";

const [A, B, STALE] = ["a", "b", "stale"].map((name) => serviceUnit("test", name)) as [ReturnType<typeof serviceUnit>, ReturnType<typeof serviceUnit>, ReturnType<typeof serviceUnit>];

describe("the ownership registry", () => {
  it("maps units to registry keys and back", () => {
    expect(ownerKeyFor(serviceUnit("default", "web"))).toBe("/kube2sky/owners/service/default/web");
    expect(unitOfOwnerKey("/kube2sky/owners/service/default/web")).toBe(serviceUnit("default", "web"));
    expect(unitOfOwnerKey("/skydns/local")).toBeUndefined();
    expect(unitOfOwnerKey("/kube2sky/owners/something/else")).toBeUndefined();
  });

  it("encodes sorted and decodes only keys under the record prefix", () => {
    expect(encodeOwned(["/skydns/b", "/skydns/a"])).toBe('["/skydns/a","/skydns/b"]');
    expect(decodeOwned('["/skydns/a","/etc/passwd","/skydnsx/b",7]', "/skydns")).toEqual(["/skydns/a"]);
    expect(decodeOwned("not json", "/skydns")).toEqual([]);
    expect(decodeOwned('{"a":1}', "/skydns")).toEqual([]);
  });

  it("never decodes /skydns/config as an owned record, so no sync deletes skydns's configuration", () => {
    expect(decodeOwned('["/skydns/config","/skydns/config/x"]', "/skydns")).toEqual(["/skydns/config/x"]);
  });

  it("counts claims so that a shared key belongs to the other unit until it lets go", () => {
    const ownership = new Ownership();
    ownership.set(A, new Map([["/shared", "v"], ["/a", "v"]]));
    ownership.set(B, new Map([["/shared", "v"]]));
    expect(ownership.claimedByOther("/shared", A)).toBe(true);
    expect(ownership.claimedByOther("/a", A)).toBe(false);
    expect(ownership.size).toBe(2);
    ownership.set(B, new Map());
    expect(ownership.claimedByOther("/shared", A)).toBe(false);
    expect(ownership.units()).toEqual([A]);
  });

  it("loads from etcd: registered keys per unit, values only for keys etcd still has", () => {
    const ownership = new Ownership();
    ownership.set(STALE, new Map([["/skydns/x", "v"]]));
    const registered = ownership.load(
      new Map([["/kube2sky/owners/service/default/a", '["/skydns/a/1","/skydns/a/gone"]'], ["/kube2sky/elsewhere", "[]"]]),
      new Map([["/skydns/a/1", "v1"], ["/skydns/operator", "x"]]),
      "/skydns",
    );
    expect(registered).toEqual(new Map([[serviceUnit("default", "a"), new Set(["/skydns/a/1", "/skydns/a/gone"])]]));
    expect(ownership.keysOf(serviceUnit("default", "a"))).toEqual(new Map([["/skydns/a/1", digestOf("v1")]]));
    expect(ownership.units()).toEqual([serviceUnit("default", "a")]);
  });

  it("keeps a 16-character digest of each value, the same for equal values and different for different ones", () => {
    const value = '{"host":"web.default.svc.cluster.local.","port":80,"priority":10,"weight":10,"ttl":30,"targetstrip":0}';
    expect(digestOf(value)).toHaveLength(16);
    expect(digestOf(value)).toBe(digestOf(String(value)));
    expect(digestOf(value)).not.toBe(digestOf(value.replace('"port":80', '"port":81')));
    const ownership = new Ownership();
    ownership.set(serviceUnit("default", "web"), new Map([["/skydns/k", value]]));
    expect(ownership.keysOf(serviceUnit("default", "web")).get("/skydns/k")).toBe(digestOf(value));
  });
});
