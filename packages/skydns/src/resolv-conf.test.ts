import { describe, expect, it } from "vitest";
import { nameserversOf, searchesOf } from "./resolv-conf.js";

describe("nameserversOf", () => {
  it("reads nameserver lines, IPv4 and IPv6, and ignores the rest", () => {
    const text = "search default.svc.cluster.local\nnameserver 10.0.0.2\n# nameserver 1.1.1.1\nnameserver fe80::1%eth0\nnameserver not-an-ip\noptions ndots:5\n";
    expect(nameserversOf(text)).toEqual([{ host: "10.0.0.2", port: 53 }, { host: "fe80::1", port: 53 }]);
  });
});

describe("searchesOf", () => {
  it("reads the last search or domain line as lowercase FQDNs", () => {
    expect(searchesOf("domain old.example.org\nsearch Corp.Example.org example.org.\nnameserver 10.0.0.2\n")).toEqual(["corp.example.org.", "example.org."]);
    expect(searchesOf("search a.example.org\ndomain b.example.org\n")).toEqual(["b.example.org."]);
    expect(searchesOf("nameserver 10.0.0.2\n")).toEqual([]);
  });
});
