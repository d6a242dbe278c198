import { describe, expect, it } from "vitest";
import { isSubdomain, keyFor, labelsOf, NameError, nameFor, normalizeName, parseKey, pathFor } from "./name.js";

describe("pathFor and nameFor", () => {
  it.each([
    ["kube-dns.kube-system.svc.cluster.local", "/skydns/local/cluster/svc/kube-system/kube-dns"],
    ["my-nginx.default.svc.cluster.local.", "/skydns/local/cluster/svc/default/my-nginx"],
    ["_https._tcp.kubernetes.default.svc.cluster.local.", "/skydns/local/cluster/svc/default/kubernetes/_tcp/_https"],
    ["10-244-1-5.default.pod.cluster.local.", "/skydns/local/cluster/pod/default/10-244-1-5"],
    ["10.0.0.10.in-addr.arpa.", "/skydns/arpa/in-addr/10/0/0/10"],
    [".", "/skydns"],
  ])("maps %s to %s and back", (name, path) => {
    expect(pathFor(name)).toBe(path);
    expect(nameFor(path)).toBe(normalizeName(name));
  });

  it("matches names case-insensitively", () => {
    expect(pathFor("Kube-DNS.Kube-System.SVC.Cluster.Local.")).toBe("/skydns/local/cluster/svc/kube-system/kube-dns");
  });

  it("takes the prefix as an argument", () => {
    expect(pathFor("a.example.org", "/dns")).toBe("/dns/org/example/a");
    expect(nameFor("/dns/org/example/a", "/dns")).toBe("a.example.org.");
  });

  it("refuses a path outside the prefix, including a sibling that only shares its first letters", () => {
    expect(() => nameFor("/registry/services/default/x")).toThrow(NameError);
    expect(() => nameFor("/skydnsx/local/cluster")).toThrow(/not under \/skydns/);
  });
});

describe("normalizeName", () => {
  it("lowercases and adds the trailing dot", () => {
    expect(normalizeName("Web.Default.svc.cluster.local")).toBe("web.default.svc.cluster.local.");
    expect(normalizeName("web.default.svc.cluster.local.")).toBe("web.default.svc.cluster.local.");
    expect(normalizeName("")).toBe(".");
  });

  it.each([
    ["a..b", /empty label/],
    [".a", /empty label/],
    ["a.b..", /empty label/],
    ["x".repeat(64) + ".local", /over 63 octets/],
    [Array(128).fill("ab").join("."), /octets long/],
    ["a/b.local", /character outside/],
    ["a b.local", /character outside/],
    ["a\u0000b.local", /character outside/],
    ["héllo.local", /character outside/],
  ])("refuses %j", (name, message) => {
    expect(() => normalizeName(name)).toThrow(NameError);
    expect(() => normalizeName(name)).toThrow(message);
  });

  it("accepts a label of exactly 63 octets and a name of exactly 255 wire octets", () => {
    expect(labelsOf("x".repeat(63) + ".local")).toHaveLength(2);
    // 4 labels of 63 + 4 length octets + root = 257, so trim to 255: three of 63 and one of 61.
    const name = ["x".repeat(63), "x".repeat(63), "x".repeat(63), "x".repeat(61)].join(".");
    expect(() => normalizeName(name)).not.toThrow();
    expect(() => normalizeName(name + "x")).toThrow(/octets long/);
  });

  it("refuses a value that is not a string", () => {
    expect(() => normalizeName(42 as unknown as string)).toThrow(/must be a string/);
  });
});

describe("keyFor and parseKey", () => {
  it("put the record id last and take it off again", () => {
    const key = keyFor("kube-dns.kube-system.svc.cluster.local", "21172049");
    expect(key).toBe("/skydns/local/cluster/svc/kube-system/kube-dns/21172049");
    expect(parseKey(key)).toEqual({ name: "kube-dns.kube-system.svc.cluster.local.", id: "21172049" });
  });

  it("parses an SRV key into its underscore owner name", () => {
    expect(parseKey("/skydns/local/cluster/svc/default/kubernetes/_tcp/_https/c88f1059")).toEqual({
      name: "_https._tcp.kubernetes.default.svc.cluster.local.",
      id: "c88f1059",
    });
  });

  it("lowercases a key an operator wrote in capitals", () => {
    expect(parseKey("/skydns/local/Cluster/Web/X1").name).toBe("web.cluster.local.");
  });

  it.each([
    ["/skydns"],
    ["/skydns/local"],
    ["/skydns/local/cluster//x"],
    ["/skydns/local/cluster/a b/x"],
    ["/other/local/x"],
  ])("refuses %s", (key) => {
    expect(() => parseKey(key)).toThrow(NameError);
  });

  it("refuses an id that is not a lowercase label", () => {
    expect(() => keyFor("a.local", "AB")).toThrow(/lowercase/);
    expect(() => keyFor("a.local", "a/b")).toThrow(NameError);
    expect(() => keyFor("a.local", "")).toThrow(NameError);
  });
});

describe("isSubdomain", () => {
  it.each([
    ["cluster.local.", "cluster.local.", true],
    ["a.cluster.local.", "cluster.local.", true],
    ["foocluster.local.", "cluster.local.", false],
    ["local.", "cluster.local.", false],
    ["anything.", ".", true],
  ])("%s in %s is %s", (name, zone, inside) => {
    expect(isSubdomain(name, zone)).toBe(inside);
  });
});
