import { describe, expect, it } from "vitest";
import { formatDuration, parseDuration, parseHostPort, parsePort } from "./index.js";

describe("parseDuration", () => {
  it.each([
    ["2s", 2000],
    ["30s", 30_000],
    ["500ms", 500],
    ["1m30s", 90_000],
    ["1.5h", 5_400_000],
    ["0", 0],
    ["100us", 0.1],
  ])("reads %s as %d ms", (text, ms) => {
    expect(parseDuration(text)).toBe(ms);
  });

  it.each([[""], ["2"], ["s"], ["2 s"], ["-1s"], ["2sx"], ["1d"]])("refuses %j", (text) => {
    expect(() => parseDuration(text)).toThrow(/duration/);
  });

  it("formats back in Go's style", () => {
    expect(formatDuration(2000)).toBe("2s");
    expect(formatDuration(90_000)).toBe("1m30s");
    expect(formatDuration(250)).toBe("250ms");
    expect(formatDuration(0)).toBe("0s");
  });
});

describe("parseHostPort and parsePort", () => {
  it("reads the shapes Go's net package reads", () => {
    expect(parseHostPort("127.0.0.1:53")).toEqual({ host: "127.0.0.1", port: 53 });
    expect(parseHostPort("[::1]:5353")).toEqual({ host: "::1", port: 5353 });
    expect(parseHostPort(":8080")).toEqual({ host: "0.0.0.0", port: 8080 });
    expect(parseHostPort(":8080", "127.0.0.1")).toEqual({ host: "127.0.0.1", port: 8080 });
  });

  it.each([["127.0.0.1"], ["127.0.0.1:70000"], ["::1:53"], ["a:b"]])("refuses %j", (text) => {
    expect(() => parseHostPort(text)).toThrow(/invalid address/);
  });

  it("reads ports and refuses others", () => {
    expect(parsePort("8081")).toBe(8081);
    expect(() => parsePort("65536")).toThrow(/invalid port/);
    expect(() => parsePort("http")).toThrow(/invalid port/);
  });
});
