import { describe, expect, it } from "vitest";
import { type Client, type Reply, runClient } from "./client.js";

// A made-up zone: which (name, type) exist and what they answer; every other name is NXDOMAIN.
const zone: Record<string, Record<string, number>> = {
  "my-nginx.default.svc.cluster.local.": { A: 1 },
  "svc.cluster.local.": {},
  "v6.default.svc.cluster.local.": { AAAA: 1 },
  "db.corp.example.": { A: 1 },
};
const refusedNames = new Set(["web.svc.cluster.local."]);

function ask(name: string, type: string): Promise<Reply> {
  if (refusedNames.has(name)) return Promise.resolve({ rcode: "REFUSED", answerCount: 0 });
  const types = zone[name];
  return Promise.resolve(types === undefined ? { rcode: "NXDOMAIN", answerCount: 0 } : { rcode: "NOERROR", answerCount: types[type] ?? 0 });
}

const searches = ["default.svc.cluster.local", "svc.cluster.local", "cluster.local"];
async function asked(client: Client, rawName: string, type = "A"): Promise<{ steps: string[]; winner: string | undefined }> {
  const lookup = await runClient(client, { rawName, searches, ndots: 5 }, type, ask);
  const steps = lookup.steps.map((step) => `${step.name} ${step.type} ${step.reply.rcode}`);
  return { steps, winner: lookup.winner === undefined ? undefined : steps[lookup.winner] };
}

describe("runClient", () => {
  it("glibc stops at the first answer of the search list", async () => {
    expect(await asked("glibc", "my-nginx")).toEqual({
      steps: ["my-nginx.default.svc.cluster.local. A NOERROR"],
      winner: "my-nginx.default.svc.cluster.local. A NOERROR",
    });
  });

  it("glibc goes on past NODATA and asks every name of a name that exists nowhere", async () => {
    expect(await asked("glibc", "svc")).toEqual({
      steps: ["svc.default.svc.cluster.local. A NXDOMAIN", "svc.svc.cluster.local. A NXDOMAIN", "svc.cluster.local. A NOERROR", "svc. A NXDOMAIN"],
      winner: undefined,
    });
  });

  it("getent hosts searches the whole list for AAAA, then again for A", async () => {
    const { steps, winner } = await asked("getent", "my-nginx.default");
    expect(steps).toEqual([
      "my-nginx.default.default.svc.cluster.local. AAAA NXDOMAIN",
      "my-nginx.default.svc.cluster.local. AAAA NOERROR",
      "my-nginx.default.cluster.local. AAAA NXDOMAIN",
      "my-nginx.default. AAAA NXDOMAIN",
      "my-nginx.default.default.svc.cluster.local. A NXDOMAIN",
      "my-nginx.default.svc.cluster.local. A NOERROR",
    ]);
    expect(winner).toBe("my-nginx.default.svc.cluster.local. A NOERROR");
  });

  it("getent hosts stops after the AAAA search when it found an AAAA record", async () => {
    expect(await asked("getent", "v6")).toEqual({ steps: ["v6.default.svc.cluster.local. AAAA NOERROR"], winner: "v6.default.svc.cluster.local. AAAA NOERROR" });
  });

  it("getent hosts of a trailing-dot name asks AAAA and A of that name only", async () => {
    expect((await asked("getent", "my-nginx.default.svc.cluster.local.")).steps).toEqual([
      "my-nginx.default.svc.cluster.local. AAAA NOERROR",
      "my-nginx.default.svc.cluster.local. A NOERROR",
    ]);
  });

  it("nslookup stops at the first name that is not NXDOMAIN, answer or not, and asks its AAAA", async () => {
    expect(await asked("nslookup", "svc")).toEqual({
      steps: ["svc.default.svc.cluster.local. A NXDOMAIN", "svc.svc.cluster.local. A NXDOMAIN", "svc.cluster.local. A NOERROR", "svc.cluster.local. AAAA NOERROR"],
      winner: undefined,
    });
    expect((await asked("nslookup", "db.corp.example")).steps).toEqual([
      "db.corp.example.default.svc.cluster.local. A NXDOMAIN",
      "db.corp.example.svc.cluster.local. A NXDOMAIN",
      "db.corp.example.cluster.local. A NXDOMAIN",
      "db.corp.example. A NOERROR",
      "db.corp.example. AAAA NOERROR",
    ]);
  });

  it("nslookup asks no AAAA when every name was NXDOMAIN", async () => {
    expect((await asked("nslookup", "nope")).steps).toEqual([
      "nope.default.svc.cluster.local. A NXDOMAIN", "nope.svc.cluster.local. A NXDOMAIN", "nope.cluster.local. A NXDOMAIN", "nope. A NXDOMAIN",
    ]);
  });

  it("glibc asks the type it is given, SRV included", async () => {
    expect((await asked("glibc", "_http._tcp.my-nginx", "SRV")).steps[0]).toBe("_http._tcp.my-nginx.default.svc.cluster.local. SRV NXDOMAIN");
  });

  it("glibc ends the search list at a REFUSED but still asks the name as it is", async () => {
    expect((await asked("glibc", "web")).steps).toEqual(["web.default.svc.cluster.local. A NXDOMAIN", "web.svc.cluster.local. A REFUSED", "web. A NXDOMAIN"]);
  });
});
