import { describe, expect, it } from "vitest";
import { mergeConfig } from "./config-key.js";

describe("mergeConfig", () => {
  it("writes kube2sky's fields into an empty key", () => {
    expect(mergeConfig(undefined, { nameservers: ["192.0.2.1:53"] })).toBe('{"nameservers":["192.0.2.1:53"]}');
  });

  it("keeps an operator's other fields and replaces only kube2sky's", () => {
    const current = JSON.stringify({ zones: ["example.org."], nameservers: ["192.0.2.9:53"], stub_domains: { "a.example.org.": ["10.0.0.1:53"] } });
    expect(JSON.parse(mergeConfig(current, { stub_domains: { "acme.local.": ["10.9.9.9:53"] } }) ?? "")).toEqual({
      zones: ["example.org."],
      stub_domains: { "acme.local.": ["10.9.9.9:53"] },
    });
  });

  it("removes kube2sky's fields for an empty config, and the key when nothing else remains", () => {
    expect(mergeConfig('{"nameservers":["192.0.2.1:53"],"ttl":30}', {})).toBe('{"ttl":30}');
    expect(mergeConfig('{"nameservers":["192.0.2.1:53"]}', {})).toBeUndefined();
    expect(mergeConfig(undefined, {})).toBeUndefined();
  });

  it("replaces a value that is not a JSON object", () => {
    expect(mergeConfig("not json", { nameservers: ["192.0.2.1:53"] })).toBe('{"nameservers":["192.0.2.1:53"]}');
    expect(mergeConfig("[1]", {})).toBeUndefined();
  });
});
