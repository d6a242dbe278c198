import { describe, expect, it } from "vitest";
import { formatIPv4, inUsableRange, parseCidr, parseIPv4, pickFree, staticBandSize, usableRange } from "./cidr.js";

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

  it("picks a free address after the random start, wrapping around, until the range is full", () => {
    const cidr = parseCidr("10.0.0.0/29"); // .1 to .6
    expect(pickFree(cidr, new Set(), () => 0)).toBe("10.0.0.1");
    expect(pickFree(cidr, new Set(["10.0.0.6"]), () => 0.99)).toBe("10.0.0.1");
    const all = new Set(["10.0.0.1", "10.0.0.2", "10.0.0.3", "10.0.0.4", "10.0.0.5"]);
    expect(pickFree(cidr, all, () => 0)).toBe("10.0.0.6");
    all.add("10.0.0.6");
    expect(pickFree(cidr, all)).toBeUndefined();
  });

  it("leaves the static band at the start of a service range for last, as kube-apiserver does", () => {
    const range = parseCidr("10.0.0.0/24");
    expect(staticBandSize(range)).toBe(16);
    expect(staticBandSize(parseCidr("10.96.0.0/12"))).toBe(256);
    expect(staticBandSize(parseCidr("10.0.0.0/29"))).toBe(0);
    for (const draw of [0, 0.25, 0.5, 0.999]) {
      const ip = pickFree(range, new Set(), () => draw, 16) as string;
      expect(parseIPv4(ip)).toBeGreaterThanOrEqual(parseIPv4("10.0.0.16") as number);
    }
    const upperTaken = new Set(Array.from({ length: 239 }, (_, i) => formatIPv4((parseIPv4("10.0.0.16") as number) + i)));
    expect(pickFree(range, upperTaken, () => 0, 16)).toBe("10.0.0.1");
    // A range no bigger than its band never hands out its broadcast address.
    const small = parseCidr("10.0.0.0/28");
    const allButLast = new Set(Array.from({ length: 13 }, (_, i) => formatIPv4((parseIPv4("10.0.0.1") as number) + i)));
    expect(pickFree(small, allButLast, () => 0.999, staticBandSize(small))).toBe("10.0.0.14");
    expect(pickFree(small, new Set([...allButLast, "10.0.0.14"]), () => 0.999, staticBandSize(small))).toBeUndefined();
  });
});
