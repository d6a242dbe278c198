import { describe, expect, it } from "vitest";
import { type FetchText, parseChanges, takeSnapshot } from "./snapshot.js";

const TARGETS = { etcdUrls: ["http://e:1"], kube2skyUrl: "http://k:2", skydnsUrl: "http://s:3", healthzUrl: "http://h:4" };

describe("takeSnapshot", () => {
  it("probes every container, reads the records by kind, the hops and the latest changes", async () => {
    const answers: Record<string, { status: number; body: string }> = {
      "http://e:1/health": { status: 200, body: '{"health":"true"}' },
      "http://k:2/readiness": { status: 200, body: "ok: leader\n" },
      "http://s:3/ready": { status: 503, body: "records not loaded from etcd yet\n" },
      "http://s:3/metrics": { status: 200, body: 'kubedns_skydns_index_records_by_kind{kind="service"} 2\nkubedns_skydns_programming_sent_to_indexed_seconds_sum 0.01\nkubedns_skydns_programming_sent_to_indexed_seconds_count 2\n' },
      "http://k:2/metrics": { status: 200, body: "kubedns_kube2sky_programming_seen_to_committed_seconds_sum 0\nkubedns_kube2sky_programming_seen_to_committed_seconds_count 0\n" },
      "http://s:3/changes": { status: 200, body: JSON.stringify({ changes: [{ kind: "service", type: "add", object: "default/web", seenAt: 1, sentAt: 2, indexedAt: 3 }, { kind: 1 }] }) },
    };
    const fetchText: FetchText = (url) => {
      const answer = answers[url];
      return answer === undefined ? Promise.reject(new Error("connection refused", { cause: new Error("connect ECONNREFUSED") })) : Promise.resolve(answer);
    };
    const snapshot = await takeSnapshot(TARGETS, fetchText);
    expect(snapshot.containers.map((c) => [c.name, c.ok, c.status])).toEqual([["etcd", true, "200"], ["kube2sky", true, "200"], ["skydns", false, "503"], ["exec-healthz", false, "no answer"]]);
    expect(snapshot.containers[3]?.detail).toBe("connect ECONNREFUSED");
    expect(snapshot.recordKinds?.get("service")).toBe(2);
    expect(snapshot.hops.map((h) => [h.count, h.meanSeconds])).toEqual([[0, undefined], [0, undefined], [2, 0.005]]);
    expect(snapshot.changes.map((c) => c.object)).toEqual(["default/web"]);
  });
});

describe("parseChanges", () => {
  it("reads nothing from what is not a list of changes", () => {
    expect(parseChanges("nope")).toEqual([]);
    expect(parseChanges("null")).toEqual([]);
    expect(parseChanges('{"changes":3}')).toEqual([]);
  });
});
