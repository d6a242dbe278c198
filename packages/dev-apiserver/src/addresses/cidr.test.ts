import { describe, expect, it } from "vitest";
import { formatIPv4, inUsableRange, parseCidr, parseIPv4, staticBandSize, usableRange } from "./cidr.js";

describe("cidr", () => {
  it("reads and writes dotted quads", () => {
    expect(parseIPv4("10.0.0.1")).toBe(0x0a000001);
    expect(formatIPv4(0x0a000001)).toBe("10.0.0.1");
    expect(formatIPv4(0xffffffff)).toBe("255.255.255.255");
    for (const bad of ["10.0.0", "10.0.0.256", "10.0.0.01", "a.b.c.d", "10.0.0.1.2", ""]) expect(parseIPv4(bad)).toBeUndefined();
  });

  it("gives 10.0.0.1 to 10.0.0.254 as the usable addresses of 10.0.0.0/24", () => {
    const cidr = parseCidr("10.0.0.0/24");
    const { first, last } = usableRange(cidr);
    expect([formatIPv4(first), formatIPv4(last)]).toEqual(["10.0.0.1", "10.0.0.254"]);
    expect(inUsableRange(cidr, "10.0.0.10")).toBe(true);
    expect(inUsableRange(cidr, "10.0.0.0")).toBe(false);
    expect(inUsableRange(cidr, "10.0.0.255")).toBe(false);
    expect(inUsableRange(cidr, "10.0.1.1")).toBe(false);
    expect(inUsableRange(cidr, "None")).toBe(false);
  });

  it.each([["10.0.0.1/24"], ["10.0.0.0"], ["10.0.0.0/0"], ["10.0.0.0/31"], ["fd00::/64"], ["10.0.0.0/x"]])("refuses %j", (text) => {
    expect(() => parseCidr(text)).toThrow(/invalid CIDR/);
  });

  it("leaves a static band of min(max(16, size/16), 256) addresses at the start of a service range, as kube-apiserver does", () => {
    expect(staticBandSize(parseCidr("10.0.0.0/24"))).toBe(16);
    expect(staticBandSize(parseCidr("10.0.0.0/16"))).toBe(256);
    expect(staticBandSize(parseCidr("10.96.0.0/12"))).toBe(256);
    expect(staticBandSize(parseCidr("10.0.0.0/28"))).toBe(16);
    expect(staticBandSize(parseCidr("10.0.0.0/29"))).toBe(0);
  });
});
