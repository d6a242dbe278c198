import { describe, expect, it } from "vitest";
import { decodeOwned, digestOf, encodeOwned, ownerKeyFor, Ownership, unitOfOwnerKey } from "./ownership.js";

describe("the ownership registry", () => {
  it("maps units to registry keys and back", () => {
    expect(ownerKeyFor("service/default/web")).toBe("/kube2sky/owners/service/default/web");
    expect(unitOfOwnerKey("/kube2sky/owners/service/default/web")).toBe("service/default/web");
    expect(unitOfOwnerKey("/skydns/local")).toBeUndefined();
  });

  it("encodes sorted and decodes only keys under the record prefix", () => {
    expect(encodeOwned(["/skydns/b", "/skydns/a"])).toBe('["/skydns/a","/skydns/b"]');
    expect(decodeOwned('["/skydns/a","/etc/passwd","/skydnsx/b",7]', "/skydns")).toEqual(["/skydns/a"]);
    expect(decodeOwned("not json", "/skydns")).toEqual([]);
    expect(decodeOwned('{"a":1}', "/skydns")).toEqual([]);
  });

  it("counts claims so that a shared key belongs to the other unit until it lets go", () => {
    const ownership = new Ownership();
    ownership.set("a", new Map([["/shared", "v"], ["/a", "v"]]));
    ownership.set("b", new Map([["/shared", "v"]]));
    expect(ownership.claimedByOther("/shared", "a")).toBe(true);
    expect(ownership.claimedByOther("/a", "a")).toBe(false);
    expect(ownership.size).toBe(2);
    ownership.set("b", new Map());
    expect(ownership.claimedByOther("/shared", "a")).toBe(false);
    expect(ownership.units()).toEqual(["a"]);
  });

  it("loads from etcd: registered keys per unit, values only for keys etcd still has", () => {
    const ownership = new Ownership();
    ownership.set("stale", new Map([["/skydns/x", "v"]]));
    const registered = ownership.load(
      new Map([["/kube2sky/owners/service/default/a", '["/skydns/a/1","/skydns/a/gone"]'], ["/kube2sky/elsewhere", "[]"]]),
      new Map([["/skydns/a/1", "v1"], ["/skydns/operator", "x"]]),
      "/skydns",
    );
    expect(registered).toEqual(new Map([["service/default/a", new Set(["/skydns/a/1", "/skydns/a/gone"])]]));
    expect(ownership.keysOf("service/default/a")).toEqual(new Map([["/skydns/a/1", digestOf("v1")]]));
    expect(ownership.units()).toEqual(["service/default/a"]);
  });

  it("keeps a 16-character digest of each value, the same for equal values and different for different ones", () => {
    const value = '{"host":"web.default.svc.cluster.local.","port":80,"priority":10,"weight":10,"ttl":30,"targetstrip":0}';
    expect(digestOf(value)).toHaveLength(16);
    expect(digestOf(value)).toBe(digestOf(String(value)));
    expect(digestOf(value)).not.toBe(digestOf(value.replace('"port":80', '"port":81')));
    const ownership = new Ownership();
    ownership.set("service/default/web", new Map([["/skydns/k", value]]));
    expect(ownership.keysOf("service/default/web").get("/skydns/k")).toBe(digestOf(value));
  });
});
