import { describe, expect, it } from "vitest";
import { servicePortMappings } from "./service-ports.js";

const SKYDNS_PORTS = [
  { name: "dns", containerPort: 10053, protocol: "UDP" },
  { name: "dns-tcp", containerPort: 10053, protocol: "TCP" },
  { name: "metrics", containerPort: 9153, protocol: "TCP" },
];

describe("servicePortMappings", () => {
  it("resolves named target ports to the container ports of that name and protocol", () => {
    const service = [
      { name: "dns", port: 53, protocol: "UDP", targetPort: "dns" },
      { name: "dns-tcp", port: 53, protocol: "TCP", targetPort: "dns-tcp" },
    ];
    expect(servicePortMappings(service, SKYDNS_PORTS)).toEqual([
      { protocol: "UDP", port: 53, targetPort: 10053 },
      { protocol: "TCP", port: 53, targetPort: 10053 },
    ]);
  });

  it("takes a numeric target port as it is, and the Service's port when there is none", () => {
    expect(servicePortMappings([{ port: 80, targetPort: 8080 }, { port: 53, protocol: "UDP" }], [])).toEqual([
      { protocol: "TCP", port: 80, targetPort: 8080 },
      { protocol: "UDP", port: 53, targetPort: 53 },
    ]);
  });

  it("refuses a name no container port carries for that protocol", () => {
    expect(() => servicePortMappings([{ name: "dns", port: 53, protocol: "UDP", targetPort: "dns-tcp" }], SKYDNS_PORTS)).toThrow(/no UDP container port named dns-tcp/);
  });
});
