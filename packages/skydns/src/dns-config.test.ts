import { describe, expect, it } from "vitest";
import { parseDnsConfig, serverOf } from "./dns-config.js";

const SERVED = { clusterDomain: "cluster.local.", flagZones: ["example.org."] };

describe("parseDnsConfig", () => {
  it("reads every field, normalizing domains and ports", () => {
    const parsed = parseDnsConfig(JSON.stringify({
      nameservers: ["10.1.2.3:53", "10.1.2.4", "[fd00::1]:5353"],
      stub_domains: { "Acme.Local": ["10.9.9.9:53"] },
      zones: ["corp.internal."],
    }), SERVED);
    expect(parsed).toEqual({
      ok: true,
      config: {
        nameservers: [{ host: "10.1.2.3", port: 53 }, { host: "10.1.2.4", port: 53 }, { host: "fd00::1", port: 5353 }],
        stubDomains: [{ domain: "acme.local.", upstreams: [{ host: "10.9.9.9", port: 53 }] }],
        zones: ["corp.internal."],
      },
    });
  });

  it("takes an empty object as no overrides", () => {
    expect(parseDnsConfig("{}", SERVED)).toEqual({ ok: true, config: { nameservers: undefined, stubDomains: [], zones: [] } });
  });

  it.each([
    ["bad JSON", "{nameservers"],
    ["not an object", "[]"],
    ["nameservers not a list", JSON.stringify({ nameservers: "10.0.0.1" })],
    ["a host name as server", JSON.stringify({ nameservers: ["dns.example.org:53"] })],
    ["a port out of range", JSON.stringify({ nameservers: ["10.0.0.1:70000"] })],
    ["a stub domain with no servers", JSON.stringify({ stub_domains: { "acme.local.": [] } })],
    ["a stub domain inside the cluster domain", JSON.stringify({ stub_domains: { "svc.cluster.local.": ["10.0.0.1"] } })],
    ["a stub domain inside a --zones zone", JSON.stringify({ stub_domains: { "a.example.org.": ["10.0.0.1"] } })],
    ["a stub domain inside a config zone", JSON.stringify({ zones: ["corp.internal."], stub_domains: { "a.corp.internal.": ["10.0.0.1"] } })],
    ["a zone inside the cluster domain", JSON.stringify({ zones: ["svc.cluster.local."] })],
    ["a bad domain", JSON.stringify({ zones: ["bad..name"] })],
    ["a number as zone", JSON.stringify({ zones: [7] })],
    ["over 64 KiB", JSON.stringify({ zones: [], pad: "x".repeat(70_000) })],
    ["too many servers", JSON.stringify({ nameservers: Array.from({ length: 17 }, (_, i) => `10.0.0.${i + 1}`) })],
  ])("refuses %s", (_title, raw) => {
    expect(parseDnsConfig(raw, SERVED).ok).toBe(false);
  });
});

describe("serverOf", () => {
  it("reads IPv4, bracketed IPv6 and bare addresses", () => {
    expect(serverOf("127.0.0.2:1053")).toEqual({ host: "127.0.0.2", port: 1053 });
    expect(serverOf("[::1]:53")).toEqual({ host: "::1", port: 53 });
    expect(serverOf("::1")).toEqual({ host: "::1", port: 53 });
  });
});
