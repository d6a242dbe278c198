import type { Readable } from "node:stream";

/** The longest line forwarded whole; a longer one is forwarded in pieces of this size. */
export const MAX_LINE_CHARS = 64 * 1024;

/**
 * forwardLines writes each line read from stream as `PREFIX line\n` through write, so that the children's logs
 * interleave line by line in the launcher's output. A last line without a newline is written when the stream ends.
 */
export function forwardLines(stream: Readable, prefix: string, write: (text: string) => void, maxLineChars = MAX_LINE_CHARS): void {
  let pending = "";
  stream.setEncoding("utf8");
  stream.on("data", (chunk: string) => {
    pending += chunk;
    let newline = pending.indexOf("\n");
    while (newline !== -1) {
      write(`${prefix}${pending.slice(0, newline).replace(/\r$/, "")}\n`);
      pending = pending.slice(newline + 1);
      newline = pending.indexOf("\n");
    }
    // A child that never prints a newline must not grow the launcher's memory without bound.
    while (pending.length >= maxLineChars) {
      write(`${prefix}${pending.slice(0, maxLineChars)}\n`);
      pending = pending.slice(maxLineChars);
    }
  });
  stream.on("end", () => {
    if (pending !== "") write(`${prefix}${pending}\n`);
    pending = "";
  });
}
