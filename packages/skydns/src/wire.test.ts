import dnsPacket from "dns-packet";
import { describe, expect, it } from "vitest";
import { assemble, encodeRecord, QR, TC } from "./wire.js";

const question = dnsPacket.encode({ questions: [{ name: "Web.Default.svc.cluster.local", type: "A" }] }).subarray(12);
const a = (ip: string) => encodeRecord({ name: "web.default.svc.cluster.local.", type: "A", class: "IN", ttl: 30, data: ip }, "web.default.svc.cluster.local.");

describe("encodeRecord", () => {
  it("points an owner equal to the question at the question, keeping its letter case", () => {
    const record = a("10.0.0.1");
    expect([...record.subarray(0, 2)]).toEqual([0xc0, 0x0c]);
    const { bytes } = assemble(7, QR, question, { answers: [record], authorities: [], additionals: [], opt: undefined }, 512);
    expect(dnsPacket.decode(bytes).answers?.[0]).toMatchObject({ name: "Web.Default.svc.cluster.local", data: "10.0.0.1", ttl: 30 });
  });
});

describe("assemble", () => {
  const answers = Array.from({ length: 40 }, (_, i) => a(`10.0.0.${i}`));
  const extra = [encodeRecord({ name: "x.cluster.local.", type: "A", class: "IN", ttl: 30, data: "10.1.1.1" }, "q.")];

  it("drops the additional section first, without TC", () => {
    const { bytes, truncated } = assemble(1, QR, question, { answers: answers.slice(0, 29), authorities: [], additionals: extra, opt: undefined }, 512);
    expect(truncated).toBe(false);
    expect(dnsPacket.decode(bytes).additionals).toEqual([]);
  });

  it("sets TC and keeps the answers that fit when the answers do not", () => {
    const { bytes, truncated } = assemble(1, QR, question, { answers, authorities: [], additionals: [], opt: undefined }, 512);
    expect(truncated).toBe(true);
    expect(bytes.length).toBeLessThanOrEqual(512);
    expect(bytes.readUInt16BE(2) & TC).toBe(TC);
    expect(dnsPacket.decode(bytes).answers!.length).toBeLessThan(40);
  });
});
