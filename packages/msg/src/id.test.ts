import { describe, expect, it } from "vitest";
import { addressRecord } from "./build.js";
import { fnv1a32, recordIdFor } from "./id.js";
import { encodeRecord } from "./record.js";

describe("recordIdFor", () => {
  // Ids kube2sky v1.2 wrote (its logs and etcd show them): 21172049 for 10.0.0.10, c88f1059 for 10.0.0.1.
  it.each([
    ["10.0.0.10", "21172049"],
    ["10.0.0.1", "c88f1059"],
    ["10.0.183.39", "e3b7df90"],
    ["11.1.1.1", "2f15de08"],
    ["10.244.1.5", "9e51737e"],
    ["10.244.2.7", "c89ee3"],
  ])("gives %s the id %s that v1.2 gave it", (ip, id) => {
    expect(recordIdFor(encodeRecord(addressRecord(ip)))).toBe(id);
  });

  it("is stable: the same record always hashes to the same id", () => {
    const json = encodeRecord(addressRecord("10.0.0.53"));
    expect(recordIdFor(json)).toBe(recordIdFor(String(json)));
  });

  it("matches the FNV-1a test vectors", () => {
    expect(fnv1a32("")).toBe(0x811c9dc5);
    expect(fnv1a32("a")).toBe(0xe40c292c);
    expect(fnv1a32("foobar")).toBe(0xbf9cf968);
  });

  it("hashes UTF-8 bytes, not UTF-16 code units", () => {
    expect(fnv1a32("é")).not.toBe(fnv1a32("\u00e9".normalize("NFD")));
    expect(fnv1a32("é")).toBe(fnv1a32(Buffer.from([0xc3, 0xa9]).toString("utf8")));
  });
});
