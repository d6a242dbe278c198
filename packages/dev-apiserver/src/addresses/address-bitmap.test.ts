import { describe, expect, it } from "vitest";
import { AddressBitmap, HOLD_MS, MAX_HOLDS } from "./address-bitmap.js";
import { formatIPv4, parseCidr, parseIPv4, staticBandSize } from "./cidr.js";

const ipAt = (base: string, offset: number): string => formatIPv4((parseIPv4(base) as number) + offset);
const range = (from: string, count: number): string[] => Array.from({ length: count }, (_, i) => ipAt(from, i));

describe("AddressBitmap", () => {
  it("picks the first free address after the random start, wrapping around, until the range is full", () => {
    const bitmap = new AddressBitmap(parseCidr("10.0.0.0/29")); // .1 to .6
    expect(bitmap.pick(() => 0)).toBe("10.0.0.1");
    bitmap.load(["10.0.0.6"]);
    expect(bitmap.pick(() => 0.99)).toBe("10.0.0.2"); // .6 is claimed and .1 held: wraps past both
    bitmap.load(range("10.0.0.1", 5));
    expect(bitmap.pick(() => 0)).toBe("10.0.0.6");
    expect(bitmap.pick()).toBeUndefined(); // .6 is now held
    expect(bitmap.pick(() => 0, Date.now() + HOLD_MS + 1)).toBe("10.0.0.6"); // the hold ran out: no claim ever showed
    bitmap.claim("10.0.0.6");
    expect(bitmap.pick(() => 0, Date.now() + 2 * HOLD_MS)).toBeUndefined();
  });

  it("leaves the static band at the start of a service range for last, as kube-apiserver does", () => {
    const cidr = parseCidr("10.0.0.0/16");
    const band = staticBandSize(cidr); // 256: 10.0.0.0 to 10.0.0.255
    for (const draw of [0, 0.25, 0.5, 0.999]) {
      const ip = new AddressBitmap(cidr, band).pick(() => draw) as string;
      expect(parseIPv4(ip)).toBeGreaterThanOrEqual(parseIPv4("10.0.1.0") as number);
      expect(parseIPv4(ip)).toBeLessThanOrEqual(parseIPv4("10.0.255.254") as number);
    }
    const bitmap = new AddressBitmap(cidr, band);
    bitmap.load(range("10.0.1.0", 65_535 - 256)); // every address above the band
    expect(bitmap.pick(() => 0)).toBe("10.0.0.1");
    expect(bitmap.pick(() => 0.999)).toBe("10.0.0.255");
    // A range no bigger than its band never hands out its broadcast address.
    const small = new AddressBitmap(parseCidr("10.0.0.0/28"), 16);
    small.load(range("10.0.0.1", 13));
    expect(small.pick(() => 0.999)).toBe("10.0.0.14");
    expect(small.pick(() => 0.999)).toBeUndefined();
  });

  it("never hands out the same address twice while it is held, and frees it when its claim is released", () => {
    const bitmap = new AddressBitmap(parseCidr("10.0.0.0/24"));
    const picked = new Set(Array.from({ length: 254 }, () => bitmap.pick()));
    expect(picked.size).toBe(254);
    expect(bitmap.pick()).toBeUndefined();
    bitmap.claim("10.0.0.7");
    expect(bitmap.isClaimed("10.0.0.7")).toBe(true);
    bitmap.release("10.0.0.7");
    expect(bitmap.isClaimed("10.0.0.7")).toBe(false);
    expect(bitmap.pick()).toBe("10.0.0.7");
  });

  it("finds the one free address of a nearly full /16 by skipping whole words of claimed ones", () => {
    const bitmap = new AddressBitmap(parseCidr("10.0.0.0/16"), 256);
    bitmap.load(range("10.0.0.1", 65_534).filter((ip) => ip !== "10.0.200.33"));
    expect(bitmap.pick(() => 0.1)).toBe("10.0.200.33");
    expect(bitmap.pick()).toBeUndefined();
  });

  it("ignores claims outside its range and keeps holds across a load", () => {
    const bitmap = new AddressBitmap(parseCidr("10.0.0.0/30")); // .1 and .2
    bitmap.load(["10.0.1.1", "192.168.0.1", "not-an-ip"]);
    bitmap.claim("10.0.0.9");
    expect(bitmap.pick(() => 0)).toBe("10.0.0.1");
    bitmap.load([]);
    expect(bitmap.pick(() => 0)).toBe("10.0.0.2");
  });

  it(`drops the oldest hold past ${MAX_HOLDS} and reports it`, () => {
    let dropped = 0;
    const bitmap = new AddressBitmap(parseCidr("10.0.0.0/16"), 0, () => dropped++);
    const first = bitmap.pick(() => 0);
    for (let i = 0; i < MAX_HOLDS; i++) bitmap.pick();
    expect(dropped).toBe(1);
    expect(bitmap.pick(() => 0)).toBe(first); // no longer held, and never claimed
  });

  it("refuses a range larger than a /8", () => {
    expect(() => new AddressBitmap(parseCidr("10.0.0.0/7"))).toThrow(/too large/);
    expect(() => new AddressBitmap(parseCidr("10.0.0.0/8"))).not.toThrow();
  });
});
