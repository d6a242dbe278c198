import { describe, expect, it } from "vitest";
import { answersOf, mismatches } from "./dig-batch.js";

const OUTPUT = `svc-0.scale-0.svc.cluster.local. 30 IN A 10.0.1.0
svc-4.scale-4.svc.cluster.local. 30 IN A\t10.128.0.21
svc-4.scale-4.svc.cluster.local. 30 IN A\t10.128.0.20
;; connection timed out; no servers could be reached
_http._tcp.svc-0.scale-0.svc.cluster.local. 30 IN SRV 10 100 80 svc-0.scale-0.svc.cluster.local.
`;

describe("answersOf", () => {
  it("gathers each name's records of one type, sorted, and skips dig's comments", () => {
    expect(answersOf(OUTPUT)).toEqual(
      new Map([
        ["svc-0.scale-0.svc.cluster.local", ["10.0.1.0"]],
        ["svc-4.scale-4.svc.cluster.local", ["10.128.0.20", "10.128.0.21"]],
      ]),
    );
  });
});

describe("mismatches", () => {
  it("names every expected name answered otherwise, or not at all", () => {
    const expected = new Map([
      ["a.cluster.local", ["10.0.1.0"]],
      ["b.cluster.local", ["10.128.0.21", "10.128.0.20"]],
      ["c.cluster.local", ["10.0.1.2"]],
    ]);
    const got = new Map([
      ["a.cluster.local", ["10.0.1.0"]],
      ["b.cluster.local", ["10.128.0.20"]],
    ]);
    expect(mismatches(expected, got)).toEqual(["b.cluster.local: got [10.128.0.20], want [10.128.0.20, 10.128.0.21]", "c.cluster.local: got [], want [10.0.1.2]"]);
  });
});
