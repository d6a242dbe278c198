import { parseRecord, pathFor } from "@kube-dns/msg";
import { describe, expect, it } from "vitest";
import { QUERY_MIX, servedNames } from "./served-names.js";

describe("servedNames", () => {
  const names = servedNames(1000, 20_000);
  // Each directory of the records (every ancestor of a key) -> the hosts of the records beneath it.
  const beneath = new Map<string, string[]>();
  for (const [key, value] of names.records) {
    const parsed = parseRecord(value);
    const segments = key.split("/");
    for (let end = segments.length - 1; end > 1; end--) {
      const dir = segments.slice(0, end).join("/");
      beneath.set(dir, [...(beneath.get(dir) ?? []), parsed.ok ? parsed.record.host : ""]);
    }
  }
  const hostsUnder = (name: string): string[] => beneath.get(pathFor(name)) ?? [];

  it("gives dnsmasq a hosts line for exactly the addresses skydns's records hold under each name", () => {
    const byName = new Map<string, string[]>();
    for (const line of names.hostsLines) {
      const [ip, name] = line.split(" ") as [string, string];
      byName.set(name, [...(byName.get(name) ?? []), ip]);
    }
    expect(byName.size).toBe(names.counts.clusterIp + names.counts.headless);
    for (const [name, ips] of byName) {
      const hosts = hostsUnder(name).filter((host) => /^\d+\.\d+\.\d+\.\d+$/.test(host));
      expect(hosts.sort(), name).toEqual(ips.sort());
    }
    expect([...byName.values()].filter((ips) => ips.length === names.counts.endpointsPerHeadless)).toHaveLength(names.counts.headless);
  });

  it("gives dnsmasq an SRV host only for the SRV names skydns serves and the query file asks", () => {
    expect(names.srvHosts).toHaveLength(names.counts.srv);
    const asked = new Set(names.queries.filter((q) => q.endsWith(" SRV")).map((q) => q.split(" ")[0]!.toLowerCase()));
    for (const srvHost of names.srvHosts) {
      const [name, target] = srvHost.split(",") as [string, string];
      expect(hostsUnder(name), name).toEqual([`${target}.`]);
      expect(asked.has(name)).toBe(true);
    }
  });

  it("asks the mix it promises, in mixed case, and its NXDOMAIN names have no records", () => {
    const kinds = { clusterIp: 0, srv: 0, headless: 0, nxdomain: 0 };
    for (const query of names.queries) {
      const name = query.split(" ")[0]!.toLowerCase();
      if (query.endsWith(" SRV")) kinds.srv++;
      else if (name.startsWith("svc-")) kinds.clusterIp++;
      else if (name.startsWith("hl-")) kinds.headless++;
      else {
        kinds.nxdomain++;
        expect(hostsUnder(name)).toEqual([]);
      }
    }
    for (const kind of Object.keys(kinds) as (keyof typeof kinds)[]) expect(Math.abs((kinds[kind] / names.queries.length) * 100 - QUERY_MIX[kind])).toBeLessThan(1.5);
    expect(names.queries.some((q) => q !== q.toLowerCase() && q !== q.toUpperCase())).toBe(true);
    expect(servedNames(1000, 20_000).queries).toEqual(names.queries);
  });
});
