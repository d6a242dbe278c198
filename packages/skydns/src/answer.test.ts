import { addressRecord, nameRecord, srvRecord, storedRecord, type StoredRecord } from "@kube-dns/msg";
import { describe, expect, it } from "vitest";
import { answerLocal, type AnswerSource } from "./answer.js";
import { NXDOMAIN, SERVFAIL } from "./wire.js";
import { IndexStore } from "./index-store.js";
import { zoneFor } from "./zone.js";

const RECORDS: StoredRecord[] = [
  storedRecord("api.default.svc.cluster.local", addressRecord("10.0.0.2")),
  storedRecord("api.default.svc.cluster.local", addressRecord("10.0.0.3", 300)),
  storedRecord("short.default.svc.cluster.local", addressRecord("10.0.0.4", 5)),
  storedRecord("loop-a.default.svc.cluster.local", nameRecord("loop-b.default.svc.cluster.local")),
  storedRecord("loop-b.default.svc.cluster.local", nameRecord("loop-a.default.svc.cluster.local")),
  storedRecord("dangling.default.svc.cluster.local", nameRecord("gone.default.svc.cluster.local")),
  storedRecord("away.default.svc.cluster.local", nameRecord("www.example.org")),
  // An operator's record holding an address and a port: A for the name, SRV pointing at its own leaf.
  { key: "/skydns/local/cluster/svc/default/op/x1", value: '{"host":"10.0.0.9","port":8080}' },
  // A name with an address and a bare name: no CNAME is mixed into the A answer.
  storedRecord("mixed.default.svc.cluster.local", addressRecord("10.0.0.8")),
  storedRecord("mixed.default.svc.cluster.local", nameRecord("api.default.svc.cluster.local")),
  storedRecord("_http._tcp.api.default.svc.cluster.local", srvRecord("api.default.svc.cluster.local.", 80)),
];

function source(options: { wildcards?: boolean; minTtl?: number; load?: boolean } = {}): AnswerSource {
  const store = new IndexStore("/skydns");
  if (options.load !== false) store.replaceAll(RECORDS.map((r) => ({ key: r.key, value: r.value })), 1, 1234);
  const zone = zoneFor({ domain: "cluster.local.", nsAddresses: ["10.0.0.10", "fd00::10"], ttlSeconds: 30, minTtlSeconds: options.minTtl ?? 0, wildcards: options.wildcards ?? false });
  return { store, zone, prefix: "/skydns" };
}

const brief = (answers: readonly { type: string; data?: unknown; ttl?: number }[]): string[] =>
  answers.map((a) => `${a.type} ${typeof a.data === "object" ? JSON.stringify(a.data) : String(a.data)}`);

describe("answerLocal", () => {
  it.each([
    ["A", "api.default.svc.cluster.local.", 0, ["A 10.0.0.2", "A 10.0.0.3"]],
    ["A", "mixed.default.svc.cluster.local.", 0, ["A 10.0.0.8"]],
    ["A", "loop-a.default.svc.cluster.local.", 0, ["CNAME loop-b.default.svc.cluster.local.", "CNAME loop-a.default.svc.cluster.local."]],
    ["A", "dangling.default.svc.cluster.local.", NXDOMAIN, ["CNAME gone.default.svc.cluster.local."]],
    ["SRV", "api.default.svc.cluster.local.", 0, ['SRV {"priority":10,"weight":10,"port":80,"target":"api.default.svc.cluster.local."}']],
    ["SRV", "op.default.svc.cluster.local.", 0, ['SRV {"priority":10,"weight":10,"port":8080,"target":"x1.op.default.svc.cluster.local."}']],
    ["A", "x1.op.default.svc.cluster.local.", 0, ["A 10.0.0.9"]],
    ["AAAA", "ns.dns.cluster.local.", 0, ["AAAA fd00::10"]],
    ["TXT", "dns.cluster.local.", 0, []],
  ])("answers %s %s with rcode %i", (qtype, name, rcode, answers) => {
    const reply = answerLocal(source(), name, qtype);
    expect(reply.rcode).toBe(rcode);
    expect(brief(reply.answers)).toEqual(answers);
  });

  it("gives one RRset one TTL, the lowest (RFC 2181 section 5.2)", () => {
    expect(answerLocal(source(), "api.default.svc.cluster.local.", "A").answers.map((a) => ("ttl" in a ? a.ttl : 0))).toEqual([30, 30]);
  });

  it("raises TTLs to --min-ttl", () => {
    expect(answerLocal(source({ minTtl: 20 }), "short.default.svc.cluster.local.", "A").answers).toMatchObject([{ ttl: 20 }]);
  });

  it("leaves a CNAME target outside the zone to the caller", () => {
    const reply = answerLocal(source(), "away.default.svc.cluster.local.", "A");
    expect(reply.upstreamTarget).toBe("www.example.org.");
    expect(brief(reply.answers)).toEqual(["CNAME www.example.org."]);
  });

  it("puts the SOA with the last change time in authority of negative answers", () => {
    const reply = answerLocal(source(), "nope.cluster.local.", "A");
    expect(reply.rcode).toBe(NXDOMAIN);
    expect(reply.serialDependent).toBe(true);
    expect(reply.authorities).toMatchObject([{ type: "SOA", data: { serial: 1234, mname: "ns.dns.cluster.local.", rname: "hostmaster.cluster.local." } }]);
  });

  it("answers SERVFAIL while nothing is loaded", () => {
    expect(answerLocal(source({ load: false }), "api.default.svc.cluster.local.", "A").rcode).toBe(SERVFAIL);
  });

  it("matches `*` and `any` labels only with --wildcards", () => {
    expect(answerLocal(source(), "*.default.svc.cluster.local.", "A").rcode).toBe(NXDOMAIN);
    const names = ["*.default.svc.cluster.local.", "any.default.svc.cluster.local."];
    for (const name of names) {
      expect(brief(answerLocal(source({ wildcards: true }), name, "A").answers).sort()).toEqual(["A 10.0.0.2", "A 10.0.0.3", "A 10.0.0.4", "A 10.0.0.8", "A 10.0.0.9"]);
    }
  });

  it("lists the dependencies a change must invalidate: the name, CNAME targets and SRV targets", () => {
    expect(answerLocal(source(), "_http._tcp.api.default.svc.cluster.local.", "SRV").deps).toEqual(["_http._tcp.api.default.svc.cluster.local.", "api.default.svc.cluster.local."]);
  });
});
