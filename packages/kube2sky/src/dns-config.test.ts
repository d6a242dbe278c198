import { describe, expect, it } from "vitest";
import { MAX_STUB_DOMAINS, MAX_STUB_NAMESERVERS, parseDnsConfig } from "./dns-config.js";

const ZONE = "cluster.local.";
const parse = (data: Record<string, string> | undefined) => parseDnsConfig(data, ZONE);
const refusal = (data: Record<string, string>): string => {
  const result = parse(data);
  if (result.ok) throw new Error(`accepted ${JSON.stringify(data)}`);
  return result.reason;
};

describe("parseDnsConfig", () => {
  it("reads kube-dns's schema and normalizes every address to IP:port and every domain to a lowercase FQDN", () => {
    const result = parse({
      upstreamNameservers: '["192.0.2.1", "192.0.2.2:5353", "2001:db8::1"]',
      stubDomains: '{"Acme.Local": ["10.9.9.9"], "example.org.": ["[2001:DB8::53]:1053", "::1"]}',
      federations: "ignored",
    });
    expect(result).toEqual({
      ok: true,
      config: {
        nameservers: ["192.0.2.1:53", "192.0.2.2:5353", "[2001:db8::1]:53"],
        stub_domains: { "acme.local.": ["10.9.9.9:53"], "example.org.": ["[2001:db8::53]:1053", "[::1]:53"] },
      },
    });
  });

  it("leaves out fields that are absent or empty", () => {
    expect(parse(undefined)).toEqual({ ok: true, config: {} });
    expect(parse({})).toEqual({ ok: true, config: {} });
    expect(parse({ upstreamNameservers: "[]", stubDomains: "{}" })).toEqual({ ok: true, config: {} });
    expect(parse({ stubDomains: '{"acme.local":["10.0.0.1"]}' })).toEqual({ ok: true, config: { stub_domains: { "acme.local.": ["10.0.0.1:53"] } } });
  });

  it.each([
    ["bad JSON", { upstreamNameservers: '["192.0.2.1"' }, /upstreamNameservers: not JSON/],
    ["stubDomains not an object", { stubDomains: '["acme.local"]' }, /stubDomains: must be a JSON object/],
    ["upstreams not a list", { upstreamNameservers: '"192.0.2.1"' }, /must be a JSON list of strings/],
    ["a non-string list item", { upstreamNameservers: '["192.0.2.1", 53]' }, /item 1 is not a string: 53/],
    ["a non-string stub server", { stubDomains: '{"acme.local": [null]}' }, /item 0 is not a string/],
    ["a name, not an IP", { upstreamNameservers: '["ns.example.org"]' }, /not an IP address/],
    ["a bad IPv4", { upstreamNameservers: '["192.0.2.300"]' }, /not an IP address/],
    ["port 0", { upstreamNameservers: '["192.0.2.1:0"]' }, /port "0" is not 1-65535/],
    ["port 65536", { stubDomains: '{"acme.local": ["[::1]:65536"]}' }, /port "65536" is not 1-65535/],
    ["an empty port", { upstreamNameservers: '["192.0.2.1:"]' }, /is not 1-65535/],
    ["an IPv6 zone index", { upstreamNameservers: '["fe80::1%eth0"]' }, /zone index/],
    ["a bracketed IPv4", { upstreamNameservers: '["[192.0.2.1]:53"]' }, /not an IPv6 address/],
    ["more than three upstreams", { upstreamNameservers: '["192.0.2.1","192.0.2.2","192.0.2.3","192.0.2.4"]' }, /at most 3 entries, not 4/],
    ["the cluster domain", { stubDomains: '{"cluster.local": ["10.0.0.1"]}' }, /is the cluster domain cluster.local. or inside it/],
    ["a domain inside the cluster domain", { stubDomains: '{"svc.Cluster.Local.": ["10.0.0.1"]}' }, /or inside it/],
    ["a bad domain", { stubDomains: '{"a..b": ["10.0.0.1"]}' }, /is not a domain name/],
    ["the root", { stubDomains: '{".": ["10.0.0.1"]}' }, /is not a domain name/],
    ["a domain twice", { stubDomains: '{"acme.local": ["10.0.0.1"], "ACME.local.": ["10.0.0.2"]}' }, /appears twice/],
    ["a stub domain without servers", { stubDomains: '{"acme.local": []}' }, /needs at least one nameserver/],
  ])("refuses %s as a whole", (_title, data, reason) => {
    expect(refusal({ upstreamNameservers: '["192.0.2.9"]', ...data })).toMatch(reason);
  });

  it("does not take a domain that only ends in the cluster domain's text for one inside it", () => {
    expect(parse({ stubDomains: '{"foocluster.local": ["10.0.0.1"]}' })).toEqual({ ok: true, config: { stub_domains: { "foocluster.local.": ["10.0.0.1:53"] } } });
  });

  it("bounds stub domains and their nameservers", () => {
    const servers = (n: number): string[] => Array.from({ length: n }, (_, i) => `10.0.0.${i + 1}`);
    const domains = (n: number, each: number) => JSON.stringify(Object.fromEntries(Array.from({ length: n }, (_, i) => [`d${i}.example.org`, servers(each)])));
    const full = parse({ stubDomains: domains(MAX_STUB_DOMAINS, MAX_STUB_NAMESERVERS) });
    expect(full.ok && Object.keys(full.config.stub_domains ?? {}).length).toBe(MAX_STUB_DOMAINS);
    expect(refusal({ stubDomains: domains(MAX_STUB_DOMAINS + 1, 1) })).toMatch(/at most 100 domains, not 101/);
    expect(refusal({ stubDomains: domains(1, MAX_STUB_NAMESERVERS + 1) })).toMatch(/at most 10 nameservers, not 11/);
  });
});
