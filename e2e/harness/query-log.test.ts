import { describe, expect, it } from "vitest";
import { parseQueryLine } from "./query-log.js";

describe("parseQueryLine", () => {
  it("reads skydns's query line, taking the query's name over the logger's", () => {
    const line = '[skydns] {"level":30,"time":"2026-11-25T12:25:59.246Z","name":"skydns","qname":"X.default.svc.cluster.local.","qtype":"A","rcode":"NXDOMAIN","proto":"udp","msg":"query"}';
    expect(parseQueryLine(line)).toEqual({ name: "x.default.svc.cluster.local", type: "A", rcode: "NXDOMAIN", proto: "udp" });
  });

  it("ignores other lines", () => {
    expect(parseQueryLine('[skydns] {"level":30,"name":"skydns","msg":"serving DNS"}')).toBeUndefined();
    expect(parseQueryLine('[kube2sky] {"qname":"x","qtype":"A","rcode":"NOERROR","msg":"query"}')).toBeUndefined();
    expect(parseQueryLine('[skydns] {"msg":"query" broken')).toBeUndefined();
  });
});
