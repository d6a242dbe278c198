import { execFileSync } from "node:child_process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startUpstream, type Upstream } from "./upstream.js";

describe("startUpstream", () => {
  let upstream: Upstream;
  beforeAll(async () => {
    upstream = await startUpstream({ "db.corp.example": "192.0.2.10" });
  });
  afterAll(async () => {
    await upstream?.stop();
  });

  it("answers its made-up zone on loopback, and only that", () => {
    const dig = (name: string): string =>
      execFileSync("dig", [`@127.0.0.1`, "-p", String(upstream.port), "+time=1", "+tries=1", name, "A"], { encoding: "utf8" });
    expect(dig("db.corp.example")).toMatch(/db\.corp\.example\.\s+\d+\s+IN\s+A\s+192\.0\.2\.10/);
    expect(dig("other.example")).toMatch(/status: (REFUSED|NXDOMAIN)/);
  });
});
