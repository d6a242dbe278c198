import { describe, expect, it } from "vitest";
import { parseFlags } from "./flags.js";

describe("parseFlags", () => {
  it("gives SkyDNS's defaults", () => {
    const config = parseFlags([], {});
    expect(config).toMatchObject({
      addr: { host: "127.0.0.1", port: 53 }, domain: "cluster.local.", machines: ["http://127.0.0.1:2379"], pathPrefix: "/skydns",
      nameservers: [], noRec: false, nsRotate: false, forwardTimeoutMs: 2000, cacheSize: 10000, ttlSeconds: 30, minTtlSeconds: 0,
      wildcards: false, roundRobin: true, metricsAddr: { host: "127.0.0.1", port: 9153 }, logLevel: "info", verbose: false, workers: 1,
      forwardMaxConcurrent: 1000, tcpMaxConnections: 1000, tcpIdleTimeoutMs: 10_000,
    });
    expect(Object.isFrozen(config)).toBe(true);
  });

  it("reads the environment, flags winning", () => {
    const env = { ETCD_MACHINES: "http://a:2379,http://b:2379", SKYDNS_DOMAIN: "Example.ORG", SKYDNS_NO_REC: "true", SKYDNS_ROUND_ROBIN: "false", SKYDNS_VERBOSE: "0" };
    expect(parseFlags(["--domain", "cluster.local"], env)).toMatchObject({
      machines: ["http://a:2379", "http://b:2379"], domain: "cluster.local.", noRec: true, roundRobin: false, verbose: false,
    });
  });

  it("reads skydns's etcd TLS flags (-ca-cert, -tls-pem, -tls-key) and their ETCD_ variables", () => {
    expect(parseFlags([], {})).toMatchObject({ caCert: undefined, tlsPem: undefined, tlsKey: undefined });
    expect(parseFlags(["-ca-cert=/tls/ca.crt", "--tls-pem", "/tls/client.crt"], { ETCD_TLSKEY: "/tls/client.key", ETCD_CACERT: "/ignored" })).toMatchObject({
      caCert: "/tls/ca.crt", tlsPem: "/tls/client.crt", tlsKey: "/tls/client.key",
    });
  });

  it("reads extra zones as lowercase FQDNs, from --zones or SKYDNS_ZONES", () => {
    expect(parseFlags([], {}).zones).toEqual([]);
    expect(parseFlags(["--zones", "Lab.Example.org, corp.example.org."], {}).zones).toEqual(["lab.example.org.", "corp.example.org."]);
    expect(parseFlags([], { SKYDNS_ZONES: "lab.example.org" }).zones).toEqual(["lab.example.org."]);
  });

  it("reads upstreams with and without ports", () => {
    expect(parseFlags(["--nameservers", "10.0.0.2, 10.0.0.3:5353,[::1]:53,fd00::1"], {}).nameservers).toEqual([
      { host: "10.0.0.2", port: 53 }, { host: "10.0.0.3", port: 5353 }, { host: "::1", port: 53 }, { host: "fd00::1", port: 53 },
    ]);
  });

  it("reads the caps on forwarded queries and TCP connections", () => {
    const env = { SKYDNS_FORWARD_MAX_CONCURRENT: "50", SKYDNS_TCP_IDLE_TIMEOUT: "2s" };
    expect(parseFlags(["--tcp-max-connections", "200"], env)).toMatchObject({ forwardMaxConcurrent: 50, tcpMaxConnections: 200, tcpIdleTimeoutMs: 2000 });
  });

  it.each([["--forward-max-concurrent", "0"], ["--tcp-max-connections", "0"], ["--tcp-idle-timeout", "0s"], ["--rtimeout", "soon"], ["--ttl", "-1"], ["--addr", "nowhere"], ["--log-level", "loud"]])("refuses %s %s", (flag, value) => {
    expect(() => parseFlags([flag, value], {})).toThrow();
  });

  it("refuses a boolean environment value that is not one", () => {
    expect(() => parseFlags([], { SKYDNS_WILDCARDS: "maybe" })).toThrow(/SKYDNS_WILDCARDS/);
  });
});
