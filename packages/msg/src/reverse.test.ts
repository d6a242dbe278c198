import { describe, expect, it } from "vitest";
import { addressForReverseName, expandIPv6, reverseNameFor } from "./reverse.js";

describe("reverseNameFor and addressForReverseName", () => {
  it.each([
    ["10.0.0.10", "10.0.0.10.in-addr.arpa."],
    ["10.244.1.5", "5.1.244.10.in-addr.arpa."],
    ["2001:db8::567:89ab", "b.a.9.8.7.6.5.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.ip6.arpa."],
    ["fd00::a", "a." + "0.".repeat(29) + "d.f.ip6.arpa."],
    ["::1", "1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.ip6.arpa."],
  ])("maps %s to %s and back", (ip, name) => {
    expect(reverseNameFor(ip)).toBe(name);
    expect(addressForReverseName(name)).toBe(ip);
    expect(addressForReverseName(name.toUpperCase())).toBe(ip);
  });

  it("expands embedded IPv4 and compresses per RFC 5952", () => {
    expect(expandIPv6("::ffff:10.0.0.1")).toBe("00000000000000000000ffff0a000001");
    expect(addressForReverseName(reverseNameFor("1:0:0:2:0:0:0:3"))).toBe("1:0:0:2::3");
  });

  it.each([["0.10.in-addr.arpa."], ["256.0.0.10.in-addr.arpa."], ["01.0.0.10.in-addr.arpa."], ["x.0.0.10.in-addr.arpa."], ["1.0.ip6.arpa."], ["example.org."]])(
    "gives no address for the partial or foreign name %s",
    (name) => {
      expect(addressForReverseName(name)).toBeUndefined();
    },
  );

  it("refuses something that is not an address", () => {
    expect(() => reverseNameFor("kube-dns")).toThrow(/not an IP address/);
  });
});
