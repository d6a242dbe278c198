import { once } from "node:events";
import { PassThrough } from "node:stream";
import { describe, expect, it } from "vitest";
import { forwardLines } from "./lines.js";

async function forward(chunks: Array<string | Buffer>, maxLineChars?: number): Promise<string[]> {
  const stream = new PassThrough();
  const written: string[] = [];
  forwardLines(stream, "[skydns] ", (text) => written.push(text), maxLineChars);
  for (const chunk of chunks) stream.write(chunk);
  stream.end();
  await once(stream, "end");
  return written;
}

describe("forwardLines", () => {
  it("prefixes every line, joining lines split across chunks", async () => {
    expect(await forward(["one\ntw", "o\nthr", "ee\n"])).toEqual(["[skydns] one\n", "[skydns] two\n", "[skydns] three\n"]);
  });

  it("writes a last line that has no newline when the stream ends, and drops a CR before LF", async () => {
    expect(await forward(["a\r\nb"])).toEqual(["[skydns] a\n", "[skydns] b\n"]);
  });

  it("keeps a UTF-8 character split across chunks whole", async () => {
    const bytes = Buffer.from("é\n");
    expect(await forward([bytes.subarray(0, 1), bytes.subarray(1)])).toEqual(["[skydns] é\n"]);
  });

  it("forwards an endless line in bounded pieces", async () => {
    expect(await forward(["abcdefg"], 3)).toEqual(["[skydns] abc\n", "[skydns] def\n", "[skydns] g\n"]);
  });
});
