import { addressRecord, srvRecord, storedRecord } from "@kube-dns/msg";
import { describe, expect, it } from "vitest";
import { IndexStore, MAX_RECORDS_PER_NAME } from "./index-store.js";

const a = storedRecord("web.default.svc.cluster.local", addressRecord("10.244.1.5"), undefined, "web-0");

function loaded(): { store: IndexStore; invalid: string[] } {
  const invalid: string[] = [];
  const store = new IndexStore("/skydns", (key, reason) => invalid.push(`${reason} ${key}`));
  store.replaceAll([{ key: a.key, value: a.value }], 5, 1000);
  return { store, invalid };
}

describe("IndexStore", () => {
  it("files a leaf under its parent's name and under its own name", () => {
    const { store } = loaded();
    expect(store.recordsAt("web.default.svc.cluster.local.").map((e) => e.record.host)).toEqual(["10.244.1.5"]);
    expect(store.recordsAt("web-0.web.default.svc.cluster.local.").map((e) => e.key)).toEqual([a.key]);
  });

  it("lists nothing deeper than a name's own leaves, but knows the names above exist", () => {
    const { store } = loaded();
    expect(store.recordsAt("default.svc.cluster.local.")).toEqual([]);
    expect(store.exists("default.svc.cluster.local.")).toBe(true);
    expect(store.exists("cluster.local.")).toBe(true);
    expect(store.exists("nope.default.svc.cluster.local.")).toBe(false);
  });

  it("reports the names whose records or existence changed", () => {
    const { store } = loaded();
    const changed = store.apply([{ key: a.key, value: undefined }], 6, 1001);
    expect([...changed]).toEqual(expect.arrayContaining(["web.default.svc.cluster.local.", "web-0.web.default.svc.cluster.local.", "default.svc.cluster.local.", "cluster.local."]));
    expect(store.exists("cluster.local.")).toBe(false);
    expect(store.revision).toBe(6);
    expect(store.serial).toBe(1001);
  });

  it("ignores a put that does not change the value", () => {
    const { store } = loaded();
    expect(store.apply([{ key: a.key, value: a.value }], 7, 2000).size).toBe(0);
    expect(store.serial).toBe(1000);
  });

  it("skips a corrupt value and a key outside the layout, and drops the record a corrupt value replaced", () => {
    const { store, invalid } = loaded();
    store.apply([{ key: a.key, value: "{nope" }, { key: "/skydns/config", value: "{}" }], 8, 1002);
    expect(invalid).toEqual([`not_json ${a.key}`, "bad_key /skydns/config"]);
    expect(store.recordCount).toBe(0);
  });

  it("makes a reload equal to the full read", () => {
    const { store } = loaded();
    const b = storedRecord("api.default.svc.cluster.local", addressRecord("10.0.0.2"));
    const changed = store.replaceAll([{ key: b.key, value: b.value }], 9, 1003);
    expect(changed.has("web.default.svc.cluster.local.")).toBe(true);
    expect(store.recordsAt("web.default.svc.cluster.local.")).toEqual([]);
    expect(store.recordsAt("api.default.svc.cluster.local.")).toHaveLength(1);
  });

  it("files an SRV owner's records under the bare service name too, and reports that name when they change", () => {
    const { store } = loaded();
    const srv = storedRecord("_http._tcp.web.default.svc.cluster.local", srvRecord("web.default.svc.cluster.local.", 80));
    const changed = store.apply([{ key: srv.key, value: srv.value }], 10, 1004);
    expect(changed.has("web.default.svc.cluster.local.")).toBe(true);
    expect(store.srvBelow("web.default.svc.cluster.local.").map((e) => e.key)).toEqual([srv.key]);
    expect(store.recordsAt("web.default.svc.cluster.local.").map((e) => e.key)).toEqual([a.key]);
    expect(store.apply([{ key: srv.key, value: undefined }], 11, 1005).has("web.default.svc.cluster.local.")).toBe(true);
    expect(store.srvBelow("web.default.svc.cluster.local.")).toEqual([]);
  });

  it("reports a bad key once, not on every sighting, and again only after it was deleted and came back", () => {
    const { store, invalid } = loaded();
    const bad = "/skydns/local/cluster/bad/1";
    store.apply([{ key: bad, value: "{" }], 6, 1001);
    store.apply([{ key: bad, value: "{ " }], 7, 1002);
    store.replaceAll([{ key: a.key, value: a.value }, { key: bad, value: "{" }], 8, 1003);
    expect(invalid).toEqual([`not_json ${bad}`]);
    expect(store.flagged()).toEqual(new Map([["not_json", 1]]));
    store.apply([{ key: bad, value: '{"host":"10.0.0.9","port":99999}' }], 9, 1004);
    store.apply([{ key: bad, value: undefined }], 10, 1005);
    expect(store.flagged()).toEqual(new Map());
    store.apply([{ key: bad, value: "{" }], 11, 1006);
    expect(invalid).toEqual([`not_json ${bad}`, `bad_field ${bad}`, `not_json ${bad}`]);
  });

  it("serves a TTL over a day as a day, reporting it once", () => {
    const { store, invalid } = loaded();
    store.apply([{ key: a.key, value: '{"host":"10.244.1.5","ttl":999999999}' }], 6, 1001);
    expect(store.recordsAt("web.default.svc.cluster.local.")[0]?.record.ttl).toBe(86_400);
    expect(invalid).toEqual([`ttl_clamped ${a.key}`]);
  });

  it(`answers a name with its first ${MAX_RECORDS_PER_NAME} records by key, the next one when another goes, and each under its own name`, () => {
    const { store, invalid } = loaded();
    const many = Array.from({ length: MAX_RECORDS_PER_NAME + 5 }, (_, i) => ({ key: `/skydns/local/cluster/svc/big/r${String(i).padStart(5, "0")}`, value: `{"host":"10.1.${i >> 8}.${i & 255}"}` }));
    store.replaceAll([{ key: a.key, value: a.value }, ...many], 6, 1001);
    const served = store.recordsAt("big.svc.cluster.local.");
    expect(served).toHaveLength(MAX_RECORDS_PER_NAME);
    expect(served.at(-1)?.key).toBe(many[MAX_RECORDS_PER_NAME - 1]?.key);
    expect(invalid).toHaveLength(5);
    expect(invalid[0]).toMatch(/^too_many_records .*r01000$/);
    expect(store.recordsAt("web.default.svc.cluster.local.")).toHaveLength(1);
    // Left out of big's answer, not out of the index: a record past the cap is still its own name's.
    expect(store.recordsAt("r01004.big.svc.cluster.local.").map((e) => e.key)).toEqual([many[MAX_RECORDS_PER_NAME + 4]?.key]);
    store.apply([{ key: many[0]!.key, value: undefined }], 7, 1002);
    expect(store.recordsAt("big.svc.cluster.local.").map((e) => e.key)).toContain(many[MAX_RECORDS_PER_NAME]?.key);
    expect(store.flagged()).toEqual(new Map([["too_many_records", 4]]));
  });

  it(`answers SRV on a bare service name from at most ${MAX_RECORDS_PER_NAME} records, however many ports it has`, () => {
    const { store } = loaded();
    const ports = Array.from({ length: 3 }, (_, p) =>
      Array.from({ length: 400 }, (_, i) => storedRecord(`_p${p}._tcp.web.default.svc.cluster.local`, srvRecord(`e${i}.web.default.svc.cluster.local.`, 1000 + p), undefined, `e${i}`)),
    ).flat();
    store.apply(ports.map((r) => ({ key: r.key, value: r.value })), 6, 1001);
    expect(store.recordsAt("_p2._tcp.web.default.svc.cluster.local.")).toHaveLength(400);
    expect(store.srvBelow("web.default.svc.cluster.local.")).toHaveLength(MAX_RECORDS_PER_NAME);
  });
});
