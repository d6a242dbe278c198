import { describe, expect, it } from "vitest";
import { FrameReader } from "./frames.js";

const framed = (...messages: string[]): Buffer =>
  Buffer.concat(messages.map((text) => Buffer.concat([Buffer.from([text.length >> 8, text.length & 0xff]), Buffer.from(text)])));

function drain(reader: FrameReader): string[] {
  const out: string[] = [];
  for (let msg = reader.next(); msg !== undefined; msg = reader.next()) out.push(msg.toString());
  return out;
}

describe("FrameReader", () => {
  it("takes every pipelined message of one chunk", () => {
    const reader = new FrameReader();
    reader.push(framed("one", "two", "three"));
    expect(drain(reader)).toEqual(["one", "two", "three"]);
    expect(reader.buffered).toBe(0);
  });

  it("joins a message trickled one byte at a time, and holds only what is not yet a message", () => {
    const reader = new FrameReader();
    const bytes = framed("a".repeat(1000), "tail");
    const out: string[] = [];
    for (let i = 0; i < bytes.length; i++) {
      reader.push(bytes.subarray(i, i + 1));
      out.push(...drain(reader));
      expect(reader.buffered).toBeLessThan(1002);
    }
    expect(out).toEqual(["a".repeat(1000), "tail"]);
    expect(reader.buffered).toBe(0);
  });

  it("keeps an incomplete message across chunks split inside the length prefix", () => {
    const reader = new FrameReader();
    const bytes = framed("hello", "world");
    reader.push(bytes.subarray(0, 1));
    expect(reader.next()).toBeUndefined();
    reader.push(bytes.subarray(1, 9));
    expect(drain(reader)).toEqual(["hello"]);
    reader.push(bytes.subarray(9));
    expect(drain(reader)).toEqual(["world"]);
  });

  it("gives copies that later chunks do not overwrite", () => {
    const reader = new FrameReader();
    const bytes = framed("first", "second");
    reader.push(bytes.subarray(0, 3));
    reader.push(bytes.subarray(3, 10));
    const first = reader.next();
    reader.push(bytes.subarray(10));
    expect(drain(reader)).toEqual(["second"]);
    expect(first?.toString()).toBe("first");
  });
});
