import { createLogger } from "@kube-dns/log";
import { describe, expect, it } from "vitest";
import { LiveConfig } from "./live-config.js";
import { Routes } from "./routes.js";
import { Stats } from "./stats.js";
import { zoneFor, Zones } from "./zone.js";

function live(): { config: LiveConfig; routes: Routes; zones: Zones; stats: Stats; applied: () => number } {
  const routes = new Routes([{ host: "10.0.0.53", port: 53 }]);
  const zones = new Zones(zoneFor({ domain: "cluster.local.", nsAddresses: ["10.0.0.10"], ttlSeconds: 30, minTtlSeconds: 0, wildcards: false }));
  zones.setExtra(["lab.example.org."]);
  const stats = new Stats();
  let applied = 0;
  const config = new LiveConfig({
    key: "/skydns/config", served: { clusterDomain: "cluster.local.", flagZones: ["lab.example.org."] }, routes, zones, stats,
    log: createLogger("skydns", "silent"), onApplied: () => applied++,
  });
  return { config, routes, zones, stats, applied: () => applied };
}

const GOOD = JSON.stringify({ stub_domains: { "corp.example.org.": ["10.9.9.9"] }, zones: ["www.example.org."] });

describe("LiveConfig", () => {
  it("applies a good value: stub domains, zones added to --zones, its revision", () => {
    const { config, routes, zones, applied } = live();
    config.update(GOOD, 7);
    expect(routes.upstreamsFor("a.corp.example.org.")?.key).toBe("10.9.9.9:53");
    expect([...zones.extraDomains].sort()).toEqual(["lab.example.org.", "www.example.org."]);
    expect(config.revision).toBe(7);
    expect(applied()).toBe(1);
  });

  it("refuses a bad value once, keeping the last good config, and applies nothing for a value seen again", () => {
    const { config, routes, stats, applied } = live();
    config.update(GOOD, 7);
    config.update('{"zones": "www.example.org."}', 8);
    config.update('{"zones": "www.example.org."}', 8); // a reload reads the same value again
    expect(stats.configRefused).toBe(1);
    expect(config.revision).toBe(7);
    expect(routes.upstreamsFor("a.corp.example.org.")?.key).toBe("10.9.9.9:53");
    expect(applied()).toBe(1);
  });

  it("returns to the flags when the key goes", () => {
    const { config, routes, zones } = live();
    config.update(GOOD, 7);
    config.update(undefined, 9);
    expect(routes.upstreamsFor("a.corp.example.org.")?.key).toBe("10.0.0.53:53");
    expect(zones.extraDomains).toEqual(["lab.example.org."]);
    expect(config.revision).toBe(0);
  });
});
