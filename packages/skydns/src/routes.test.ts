import { describe, expect, it } from "vitest";
import { NO_DNS_CONFIG } from "./dns-config.js";
import { Routes } from "./routes.js";

const FLAGS = [{ host: "10.0.0.53", port: 53 }];

describe("Routes", () => {
  it("sends a name to the longest stub domain holding it, else to the nameservers", () => {
    const routes = new Routes(FLAGS);
    routes.apply({
      nameservers: [{ host: "10.1.2.3", port: 53 }],
      stubDomains: [
        { domain: "acme.local.", upstreams: [{ host: "10.9.9.9", port: 53 }] },
        { domain: "lab.acme.local.", upstreams: [{ host: "10.8.8.8", port: 5353 }] },
      ],
      zones: [],
    });
    expect(routes.upstreamsFor("www.lab.acme.local.")?.key).toBe("10.8.8.8:5353");
    expect(routes.upstreamsFor("foo.acme.local.")?.key).toBe("10.9.9.9:53");
    expect(routes.upstreamsFor("fooacme.local.")?.key).toBe("10.1.2.3:53");
  });

  it("returns to the flags' upstreams without a config", () => {
    const routes = new Routes(FLAGS);
    routes.apply({ nameservers: [{ host: "10.1.2.3", port: 53 }], stubDomains: [], zones: [] });
    routes.apply(NO_DNS_CONFIG);
    expect(routes.upstreamsFor("www.example.org.")?.key).toBe("10.0.0.53:53");
  });

  it("has no route and no recursion when nothing is configured", () => {
    const routes = new Routes([]);
    expect(routes.any).toBe(false);
    expect(routes.upstreamsFor("www.example.org.")).toBeUndefined();
  });
});
