import { describe, expect, it } from "vitest";
import { addressRecord, nameRecord, srvRecord, storedRecord, textRecord } from "./build.js";
import { encodeRecord, MAX_RECORD_BYTES, MAX_TTL_SECONDS, parseRecord, RecordError } from "./record.js";

describe("encodeRecord", () => {
  it("writes an A record byte for byte as kube2sky v1.2 did", () => {
    expect(encodeRecord(addressRecord("10.0.0.53"))).toBe('{"host":"10.0.0.53","priority":10,"weight":10,"ttl":30,"targetstrip":0}');
  });

  it("writes an SRV record with the port after the host and the target with a trailing dot", () => {
    expect(encodeRecord(srvRecord("kubernetes.default.svc.cluster.local", 443))).toBe(
      '{"host":"kubernetes.default.svc.cluster.local.","port":443,"priority":10,"weight":10,"ttl":30,"targetstrip":0}',
    );
  });

  it("omits unset optional fields but always writes targetstrip", () => {
    expect(encodeRecord({ host: "10.0.0.1" })).toBe('{"host":"10.0.0.1","targetstrip":0}');
    expect(encodeRecord(textRecord("1.1.0", 28800))).toBe('{"text":"1.1.0","ttl":28800,"targetstrip":0}');
    expect(encodeRecord({ host: "a.example.org.", mail: true, group: "g", targetstrip: 1 })).toBe(
      '{"host":"a.example.org.","mail":true,"targetstrip":1,"group":"g"}',
    );
  });

  it("escapes strings as JSON", () => {
    const json = encodeRecord(textRecord('say "hi"\n'));
    expect(JSON.parse(json).text).toBe('say "hi"\n');
  });
});

describe("parseRecord", () => {
  it("round-trips every builder", () => {
    for (const record of [addressRecord("10.0.0.1"), addressRecord("fd00::1"), srvRecord("a.example.org", 80), nameRecord("db.example.org"), textRecord("v=1")]) {
      const parsed = parseRecord(encodeRecord(record));
      expect(parsed).toEqual({ ok: true, record });
    }
  });

  it("accepts bytes and keeps the key it was read from", () => {
    const parsed = parseRecord(Buffer.from('{"host":"10.0.0.1"}'), "/skydns/local/x/1");
    expect(parsed).toEqual({ ok: true, record: { host: "10.0.0.1", key: "/skydns/local/x/1" } });
  });

  it("ignores fields it does not know, as skydns did", () => {
    expect(parseRecord('{"host":"10.0.0.1","future":[1,2]}')).toEqual({ ok: true, record: { host: "10.0.0.1" } });
  });

  it.each([
    ["", /not JSON/],
    ["{", /not JSON/],
    ["null", /JSON object, got object/],
    ["[]", /got an array/],
    ['"10.0.0.1"', /got string/],
    ["{}", /neither "host" nor "text"/],
    ['{"host":""}', /neither "host" nor "text"/],
    ['{"host":42}', /"host" must be a string/],
    ['{"host":"not a name!"}', /neither an IP address nor a valid DNS name/],
    ['{"host":"10.0.0.1","port":70000}', /"port" must be an integer from 0 to 65535/],
    ['{"host":"10.0.0.1","port":-1}', /"port"/],
    ['{"host":"10.0.0.1","port":1.5}', /"port"/],
    ['{"host":"10.0.0.1","port":"80"}', /"port"/],
    ['{"host":"10.0.0.1","ttl":-30}', /"ttl"/],
    ['{"host":"10.0.0.1","ttl":"30"}', /"ttl"/],
    ['{"host":"10.0.0.1","priority":1e9}', /"priority"/],
    ['{"host":"10.0.0.1","weight":true}', /"weight"/],
    ['{"host":"10.0.0.1","mail":"yes"}', /"mail" must be a boolean/],
    ['{"host":"10.0.0.1","group":[]}', /"group" must be a string/],
    ['{"host":"10.0.0.1","targetstrip":1000}', /"targetstrip"/],
  ])("refuses %j with a clear error", (value, message) => {
    const parsed = parseRecord(value, "/skydns/local/cluster/bad/1");
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    expect(parsed.error).toBeInstanceOf(RecordError);
    expect(parsed.error.message).toMatch(message);
    expect(parsed.error.message).toContain("/skydns/local/cluster/bad/1");
  });

  it.each([
    ['{"host":"10.0.0.1","ttl":"30"}', "bad_field"],
    ["{", "not_json"],
    ["[]", "not_object"],
    ["{}", "no_data"],
    ['{"host":"10.0.0.1 or so"}', "bad_host"],
    [`{"text":"${"x".repeat(20_000)}"}`, "text_too_long"],
    [`{"host":"10.0.0.1","text":"${"x".repeat(MAX_RECORD_BYTES)}"}`, "too_large"],
  ])("names the fault of %s as a metric label can", (value, reason) => {
    const parsed = parseRecord(value.slice(0, MAX_RECORD_BYTES + 100));
    expect(parsed.ok ? "parsed" : parsed.error.reason).toBe(reason);
  });

  it("clamps a TTL over a day to a day and says so, rather than skipping the record", () => {
    expect(parseRecord('{"host":"10.0.0.1","ttl":4294967296}')).toEqual({
      ok: true,
      record: { host: "10.0.0.1", ttl: MAX_TTL_SECONDS },
      clamped: `"ttl" 4294967296 is over ${MAX_TTL_SECONDS}; served as ${MAX_TTL_SECONDS}`,
    });
    expect(parseRecord(`{"host":"10.0.0.1","ttl":${MAX_TTL_SECONDS}}`)).toEqual({ ok: true, record: { host: "10.0.0.1", ttl: MAX_TTL_SECONDS } });
  });

  it("refuses an oversized value before parsing it", () => {
    const parsed = parseRecord(`{"host":"10.0.0.1","text":"${"x".repeat(MAX_RECORD_BYTES)}"}`);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.error.message).toMatch(/limit is 65536/);
  });

  it("is not fooled by a __proto__ key", () => {
    const parsed = parseRecord('{"host":"10.0.0.1","__proto__":{"port":53}}');
    expect(parsed).toEqual({ ok: true, record: { host: "10.0.0.1" } });
    expect(({} as { port?: number }).port).toBeUndefined();
  });
});

describe("storedRecord", () => {
  it("puts an A record under its own FNV id", () => {
    expect(storedRecord("kube-dns.kube-system.svc.cluster.local", addressRecord("10.0.0.10"))).toEqual({
      key: "/skydns/local/cluster/svc/kube-system/kube-dns/21172049",
      value: '{"host":"10.0.0.10","priority":10,"weight":10,"ttl":30,"targetstrip":0}',
    });
  });

  it("lets an SRV record reuse its A record's id", () => {
    const srv = storedRecord("_https._tcp.kubernetes.default.svc.cluster.local", srvRecord("kubernetes.default.svc.cluster.local", 443), undefined, "c88f1059");
    expect(srv.key).toBe("/skydns/local/cluster/svc/default/kubernetes/_tcp/_https/c88f1059");
  });
});
