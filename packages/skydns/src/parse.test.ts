import dnsPacket from "dns-packet";
import { describe, expect, it } from "vitest";
import { scanQuestion, wireNameOf } from "./parse.js";

const query = dnsPacket.encode({ id: 1, questions: [{ name: "Web-0.Default.svc.cluster.local", type: "SRV", class: "IN" }] });

describe("scanQuestion", () => {
  it("finds the end, type and class of the question", () => {
    expect(scanQuestion(query)).toEqual({ end: query.length, qtype: 33, qclass: 1 });
  });

  it.each([
    ["a question cut short", query.subarray(0, query.length - 2)],
    ["a compression pointer", Buffer.concat([query.subarray(0, 12), Buffer.from([0xc0, 0x0c, 0, 1, 0, 1])])],
    ["a label over 63 octets", Buffer.concat([query.subarray(0, 12), Buffer.from([64]), Buffer.alloc(64, 0x61), Buffer.from([0, 0, 1, 0, 1])])],
    ["no question at all", query.subarray(0, 12)],
  ])("refuses %s", (_title, packet) => {
    expect(scanQuestion(packet)).toBeUndefined();
  });
});

describe("wireNameOf", () => {
  it("lowercases the name and adds the trailing dot", () => {
    expect(wireNameOf(query, query.length)).toBe("web-0.default.svc.cluster.local.");
  });

  it("gives up on a byte no served name holds", () => {
    const odd = dnsPacket.encode({ questions: [{ name: "a b.cluster.local", type: "A" }] });
    expect(wireNameOf(odd, odd.length)).toBeUndefined();
  });
});
