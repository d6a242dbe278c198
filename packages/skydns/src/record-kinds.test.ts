import { describe, expect, it } from "vitest";
import { kindOfOwner, RecordKinds } from "./record-kinds.js";

const ZONE = "cluster.local.";

describe("kindOfOwner", () => {
  it.each([
    ["web.default.svc.cluster.local.", "service"],
    ["_http._tcp.web.default.svc.cluster.local.", "srv"],
    ["10-244-0-5.default.pod.cluster.local.", "pod"],
    ["10.0.0.10.in-addr.arpa.", "ptr"],
    ["1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.d.f.ip6.arpa.", "ptr"],
    ["dns-version.cluster.local.", "other"],
    ["cluster.local.", "other"],
    ["a.b.default.svc.cluster.local.", "other"],
    ["www.example.org.", "other"],
  ])("%s is %s", (owner, kind) => {
    expect(kindOfOwner(owner, ZONE)).toBe(kind);
  });
});

describe("RecordKinds", () => {
  it("counts every kind, and counts again only when the revision moves", () => {
    let owners = ["web.default.svc.cluster.local.", "web.default.svc.cluster.local.", "10.0.0.10.in-addr.arpa."];
    let revision = 5;
    let passes = 0;
    const kinds = new RecordKinds(ZONE, () => (passes++, owners), () => revision);
    expect(Object.fromEntries(kinds.count())).toEqual({ service: 2, srv: 0, pod: 0, ptr: 1, other: 0 });
    owners = ["_http._tcp.web.default.svc.cluster.local."];
    expect(kinds.count().get("service")).toBe(2);
    revision = 6;
    expect(Object.fromEntries(kinds.count())).toEqual({ service: 0, srv: 1, pod: 0, ptr: 0, other: 0 });
    expect(passes).toBe(2);
  });
});
