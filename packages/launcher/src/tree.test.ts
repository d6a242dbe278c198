import { describe, expect, it } from "vitest";
import { formatTree, rowFor } from "./tree.js";

const PREFIX = "/skydns";
const SVC = "/skydns/local/cluster/svc/default/kubernetes";

describe("rowFor", () => {
  it.each([
    [`${SVC}/c88f1059`, '{"host":"10.0.0.1","priority":10,"weight":10,"ttl":30,"targetstrip":0}', "c88f1059", "A", "10.0.0.1", "ttl 30"],
    [`${SVC}/6e1b0a2c`, '{"host":"fd00::1","ttl":30}', "6e1b0a2c", "AAAA", "fd00::1", "ttl 30"],
    [
      `${SVC}/_tcp/_https/c88f1059`,
      '{"host":"kubernetes.default.svc.cluster.local","port":443,"priority":10,"weight":10,"ttl":30,"targetstrip":0}',
      "_tcp/_https/c88f1059",
      "SRV",
      "kubernetes.default.svc.cluster.local.:443",
      "ttl 30  priority 10 weight 10",
    ],
    [`${SVC}/3a0c1e2f`, '{"host":"example.org"}', "3a0c1e2f", "CNAME", "example.org.", ""],
    [`${SVC}/5f5f5f5f`, '{"host":"","text":"hello"}', "5f5f5f5f", "TXT", '"hello"', ""],
    [`${SVC}/7e7e7e7e`, '{"host":"10.0.0.7","ttl":4294967296}', "7e7e7e7e", "A", "10.0.0.7", "ttl 86400 (clamped)"],
  ])("decodes %s as %s", (key, value, relative, type, target, details) => {
    expect(rowFor({ key, value }, PREFIX)).toEqual({ directory: SVC, relative, type, target, details });
  });

  it("shows a name under the reverse zones as a PTR", () => {
    const row = rowFor({ key: "/skydns/arpa/in-addr/10/0/0/10/4d2a7c1b", value: '{"host":"kube-dns.kube-system.svc.cluster.local.","ttl":30,"targetstrip":0}' }, PREFIX);
    expect(row).toMatchObject({ directory: "/skydns/arpa/in-addr/10/0/0/10", type: "PTR", target: "kube-dns.kube-system.svc.cluster.local." });
  });

  it("shows a corrupt value with the error instead of failing", () => {
    const row = rowFor({ key: `${SVC}/deadbeef`, value: "{not json" }, PREFIX);
    expect(row).toMatchObject({ directory: SVC, relative: "deadbeef", type: "CORRUPT" });
    expect(row.target).toMatch(/^value is not JSON: /);
    expect(row.details).toBe('value "{not json"');
  });

  it("shows skydns's config key as CONFIG, as stored, and a record of an extra zone like any other", () => {
    const value = '{"stub_domains":{"acme.local.":["10.9.9.9:53"]},"zones":["example.org."]}';
    expect(rowFor({ key: "/skydns/config", value }, PREFIX)).toEqual({ directory: "/skydns", relative: "config", type: "CONFIG", target: value, details: "" });
    expect(rowFor({ key: "/skydns/org/example/www/1a2b3c4d", value: '{"host":"10.1.1.1"}' }, PREFIX)).toMatchObject({ directory: "/skydns/org/example/www", type: "A", target: "10.1.1.1" });
  });

  it("shows kube2sky's programmed key as PROGRAMMED, as stored", () => {
    const value = '{"sentAt":1,"changes":[]}';
    expect(rowFor({ key: "/skydns/programmed", value }, PREFIX)).toEqual({ directory: "/skydns", relative: "programmed", type: "PROGRAMMED", target: value, details: "" });
  });

  it("prints a tree that holds the config and programmed keys beside records (neither is a record of a name)", () => {
    const text = formatTree([
      { key: "/skydns/config", value: '{"nameservers":["10.9.9.9:53"]}' },
      { key: "/skydns/programmed", value: '{"sentAt":1,"changes":[]}' },
      { key: "/skydns/local/cluster/svc/default/web/1a2b3c4d", value: '{"host":"10.0.0.7"}' },
    ], PREFIX);
    expect(text).toContain("config      CONFIG");
    expect(text).toContain("programmed  PROGRAMMED");
    expect(text).toContain("1a2b3c4d  A  10.0.0.7");
  });

  it("shows a key that does not map to a name as BADKEY", () => {
    const row = rowFor({ key: "/skydns/local/Bad Label/1", value: '{"host":"10.0.0.1"}' }, PREFIX);
    expect(row).toMatchObject({ directory: "/skydns/local/Bad Label", relative: "1", type: "BADKEY" });
    expect(row.target).toMatch(/character outside/);
  });
});

describe("formatTree", () => {
  it("marks the records of a name past the thousand skydns serves as HELD", () => {
    const many = Array.from({ length: 1002 }, (_, i) => ({ key: `${SVC}/r${String(i).padStart(4, "0")}`, value: `{"host":"10.1.${i >> 8}.${i & 255}"}` }));
    const lines = formatTree(many, PREFIX).trimEnd().split("\n");
    expect(lines).toHaveLength(1003);
    expect(lines[1000]).toBe("  r0999  A     10.1.3.231");
    expect(lines.slice(1001)).toEqual([
      "  r1000  HELD  10.1.3.232  ! not in kubernetes.default.svc.cluster.local.'s answer: 1000 records before it",
      "  r1001  HELD  10.1.3.233  ! not in kubernetes.default.svc.cluster.local.'s answer: 1000 records before it",
    ]);
  });

  it("groups records under their directory in key order, with aligned columns", () => {
    const tree = formatTree(
      [
        { key: `${SVC}/_tcp/_https/c88f1059`, value: '{"host":"kubernetes.default.svc.cluster.local","port":443,"ttl":30}' },
        { key: `${SVC}/c88f1059`, value: '{"host":"10.0.0.1","ttl":30}' },
        { key: "/skydns/local/cluster/svc/kube-system/kube-dns/21172049", value: '{"host":"10.0.0.10","ttl":30}' },
      ],
      PREFIX,
    );
    expect(tree).toBe(
      [
        "/skydns/local/cluster/svc/default/kubernetes",
        "  c88f1059              A    10.0.0.1                                   ttl 30",
        "  _tcp/_https/c88f1059  SRV  kubernetes.default.svc.cluster.local.:443  ttl 30",
        "/skydns/local/cluster/svc/kube-system/kube-dns",
        "  21172049  A  10.0.0.10  ttl 30",
        "",
      ].join("\n"),
    );
  });

  it("says so when there are no records", () => {
    expect(formatTree([], PREFIX)).toBe("(no records under /skydns)\n");
  });
});
