import { describe, expect, it } from "vitest";
import { compareRecords, faultOf, objectOfPath, type Wanted } from "./compare.js";

const ZONE = "cluster.local.";
const PREFIX = "/skydns";
const A = '{"host":"10.0.0.53","priority":10,"weight":10,"ttl":30,"targetstrip":0}';
const WEB = "/skydns/local/cluster/svc/default/web/3a6b5c4d";
const WEB_PTR = "/skydns/arpa/in-addr/10/0/0/53/9f8e7d6c";
const PTR = '{"host":"web.default.svc.cluster.local.","priority":10,"weight":10,"ttl":30,"targetstrip":0}';

function wanted(entries: Array<[string, string]>): Map<string, Wanted> {
  return new Map(entries.map(([key, value]) => [key, { value, object: "Service default/web" }]));
}

describe("compareRecords", () => {
  it("finds nothing when etcd holds exactly what the API implies", () => {
    const records = new Map([[WEB, A], [WEB_PTR, PTR]]);
    expect(compareRecords(wanted([[WEB, A], [WEB_PTR, PTR]]), { records, owners: new Map() }, ZONE, PREFIX)).toEqual([]);
  });

  it("names a missing key with its API object", () => {
    const differences = compareRecords(wanted([[WEB, A], [WEB_PTR, PTR]]), { records: new Map([[WEB, A]]), owners: new Map() }, ZONE, PREFIX);
    expect(differences).toEqual([{ kind: "missing", object: "Service default/web", key: WEB_PTR, detail: `etcd lacks ${PTR}` }]);
  });

  it("calls a value that parses but differs wrong, and one skydns cannot read corrupt", () => {
    const other = A.replace("10.0.0.53", "10.0.0.54");
    const wrong = compareRecords(wanted([[WEB, A]]), { records: new Map([[WEB, other]]), owners: new Map() }, ZONE, PREFIX);
    expect(wrong.map((d) => d.kind)).toEqual(["wrong"]);
    expect(wrong[0]?.detail).toContain(other);
    const corrupt = compareRecords(wanted([[WEB, A]]), { records: new Map([[WEB, "{not json"]]), owners: new Map() }, ZONE, PREFIX);
    expect(corrupt.map((d) => d.kind)).toEqual(["corrupt"]);
  });

  it("calls a record under the zone's svc tree that no service implies stale, named by its place", () => {
    const ghost = "/skydns/local/cluster/svc/default/ghost/1a2b3c4d";
    const differences = compareRecords(new Map(), { records: new Map([[ghost, A]]), owners: new Map() }, ZONE, PREFIX);
    expect(differences).toEqual([{ kind: "stale", object: "Service default/ghost", key: ghost, detail: `no API object implies ${A}` }]);
  });

  it("calls a registered reverse record stale, named by the unit that registered it", () => {
    const differences = compareRecords(new Map(), { records: new Map([[WEB_PTR, PTR]]), owners: new Map([[WEB_PTR, "Service default/web"]]) }, ZONE, PREFIX);
    expect(differences.map((d) => [d.kind, d.object])).toEqual([["stale", "Service default/web"]]);
  });

  it("leaves alone what kube2sky does not own: the config key, an operator's zone, an unregistered reverse record", () => {
    const records = new Map([
      ["/skydns/config", '{"nameservers":["10.1.1.1:53"]}'],
      ["/skydns/org/example/www/1", '{"host":"10.7.7.7"}'],
      ["/skydns/arpa/in-addr/10/7/7/7/1", '{"host":"www.example.org."}'],
      ["/skydns/local/cluster/custom/1", "not even json"],
    ]);
    expect(compareRecords(new Map(), { records, owners: new Map() }, ZONE, PREFIX)).toEqual([]);
  });

  it("calls a stale key whose value does not parse corrupt", () => {
    const key = "/skydns/local/cluster/pod/default/10-244-1-5/1";
    expect(compareRecords(new Map(), { records: new Map([[key, '{"host":""}']]), owners: new Map() }, ZONE, PREFIX).map((d) => [d.kind, d.object])).toEqual([
      ["corrupt", "Pod default/? (10-244-1-5)"],
    ]);
  });
});

describe("faultOf", () => {
  it("gives skydns's reason for a value or key it skips, nothing for a good record", () => {
    expect(faultOf(WEB, A, PREFIX)).toBeUndefined();
    expect(faultOf(WEB, "[]", PREFIX)).toMatch(/object/);
    expect(faultOf(`/skydns/local/cluster/svc/default/web/${"a".repeat(64)}`, A, PREFIX)).toBeDefined();
  });
});

describe("objectOfPath", () => {
  it("names a service, a pod, the schema record, or nothing", () => {
    expect(objectOfPath(WEB, ZONE, PREFIX)).toBe("Service default/web");
    expect(objectOfPath("/skydns/local/cluster/dns-version/1", ZONE, PREFIX)).toBe("dns-version");
    expect(objectOfPath(WEB_PTR, ZONE, PREFIX)).toBe("-");
  });
});
