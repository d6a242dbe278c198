import { describe, expect, it } from "vitest";
import { searchNames } from "./search.js";

const searches = ["default.svc.cluster.local", "svc.cluster.local", "cluster.local"];
const cases: { rawName: string; ndots?: number; glibc: string[]; bind9?: string[] }[] = [
  {
    rawName: "my-nginx",
    glibc: ["my-nginx.default.svc.cluster.local.", "my-nginx.svc.cluster.local.", "my-nginx.cluster.local.", "my-nginx."],
  },
  {
    rawName: "my-nginx.other",
    glibc: ["my-nginx.other.default.svc.cluster.local.", "my-nginx.other.svc.cluster.local.", "my-nginx.other.cluster.local.", "my-nginx.other."],
  },
  {
    // 4 dots, one short of ndots:5: the full service name still walks the whole search list first.
    rawName: "my-nginx.default.svc.cluster.local",
    glibc: [
      "my-nginx.default.svc.cluster.local.default.svc.cluster.local.",
      "my-nginx.default.svc.cluster.local.svc.cluster.local.",
      "my-nginx.default.svc.cluster.local.cluster.local.",
      "my-nginx.default.svc.cluster.local.",
    ],
  },
  {
    rawName: "a.b.c.e.f.g",
    glibc: ["a.b.c.e.f.g.", "a.b.c.e.f.g.default.svc.cluster.local.", "a.b.c.e.f.g.svc.cluster.local.", "a.b.c.e.f.g.cluster.local."],
    bind9: ["a.b.c.e.f.g."],
  },
  { rawName: "my-nginx.default.svc.cluster.local.", glibc: ["my-nginx.default.svc.cluster.local."] },
  { rawName: "db.corp.example.", glibc: ["db.corp.example."] },
  { rawName: "My-Nginx", glibc: ["my-nginx.default.svc.cluster.local.", "my-nginx.svc.cluster.local.", "my-nginx.cluster.local.", "my-nginx."] },
  { rawName: "db.corp.example", ndots: 2, glibc: ["db.corp.example.", "db.corp.example.default.svc.cluster.local.", "db.corp.example.svc.cluster.local.", "db.corp.example.cluster.local."], bind9: ["db.corp.example."] },
  { rawName: "web", ndots: 0, glibc: ["web.", "web.default.svc.cluster.local.", "web.svc.cluster.local.", "web.cluster.local."], bind9: ["web."] },
];

describe("searchNames", () => {
  for (const { rawName, ndots = 5, glibc, bind9 } of cases) {
    it(`orders ${rawName} with ndots:${ndots} as glibc does`, () => {
      expect(searchNames({ rawName, searches, ndots }, "glibc")).toEqual(glibc);
    });
    it(`orders ${rawName} with ndots:${ndots} as bind9's nslookup does`, () => {
      expect(searchNames({ rawName, searches, ndots }, "bind9")).toEqual(bind9 ?? glibc);
    });
  }

  it("asks a relative name as it is only when there is no search list", () => {
    expect(searchNames({ rawName: "my-nginx", searches: [], ndots: 5 })).toEqual(["my-nginx."]);
  });

  it("asks the name as it is where the root domain stands in the search list, and not again at the end", () => {
    expect(searchNames({ rawName: "web", searches: ["svc.cluster.local", ".", "cluster.local"], ndots: 5 })).toEqual(["web.svc.cluster.local.", "web.", "web.cluster.local."]);
  });

  it("counts the dots at exactly ndots as enough", () => {
    expect(searchNames({ rawName: "a.b", searches: ["cluster.local"], ndots: 1 })[0]).toBe("a.b.");
    expect(searchNames({ rawName: "a.b", searches: ["cluster.local"], ndots: 2 })[0]).toBe("a.b.cluster.local.");
  });
});
