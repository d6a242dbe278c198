import { describe, expect, it } from "vitest";
import type { DoctorReport } from "./doctor.js";
import { formatReport, reportJson } from "./format.js";

const base: DoctorReport = {
  checkedAt: new Date("2026-11-30T00:00:00Z"), durationMs: 1234, differences: [],
  counts: { missing: 0, stale: 0, wrong: 0, corrupt: 0, "dns-differs": 0 }, checked: { wanted: 10, etcd: 12, questions: 8 },
};

describe("formatReport", () => {
  it("says no differences, what it compared and how long it took", () => {
    expect(formatReport(base)).toBe("no differences (10 records implied, 12 in etcd, 8 DNS questions; 1.23 s)\n");
  });

  it("prints one line per difference and counts them by kind", () => {
    const report: DoctorReport = {
      ...base,
      differences: [{ kind: "stale", object: "Service default/ghost", key: "/skydns/local/cluster/svc/default/ghost/1", detail: "no API object implies {}" }],
      counts: { ...base.counts, stale: 1 },
    };
    expect(formatReport(report).split("\n")).toEqual([
      "stale       Service default/ghost  /skydns/local/cluster/svc/default/ghost/1  no API object implies {}",
      "1 difference: 0 missing, 1 stale, 0 wrong, 0 corrupt, 0 dns-differs (10 records implied, 12 in etcd, 8 DNS questions; 1.23 s)",
      "",
    ]);
  });
});

describe("reportJson", () => {
  it("writes the time as ISO 8601 and whole milliseconds", () => {
    expect(JSON.parse(reportJson(base))).toMatchObject({ checkedAt: "2026-11-30T00:00:00.000Z", durationMs: 1234, differences: [] });
  });
});
