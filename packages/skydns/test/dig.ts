import { execFile } from "node:child_process";
import { promisify } from "node:util";

const run = promisify(execFile);

/** DigResult is dig's reading of one reply: status, header flags and the records of each section. */
export interface DigResult {
  readonly status: string;
  readonly flags: readonly string[];
  readonly answer: readonly string[];
  readonly authority: readonly string[];
  readonly additional: readonly string[];
  readonly raw: string;
}

/**
 * dig runs the real dig against a loopback server (async: the server may live in this process) and parses
 * its output. Records come back as "name ttl class type rdata" with whitespace collapsed.
 */
export async function dig(port: number, args: readonly string[], server = "127.0.0.1"): Promise<DigResult> {
  const { stdout } = await run("dig", [`@${server}`, "-p", String(port), "+tries=1", "+time=3", ...args], { encoding: "utf8", timeout: 20_000 });
  const sections: Record<string, string[]> = { ANSWER: [], AUTHORITY: [], ADDITIONAL: [] };
  let current: string[] | undefined;
  let status = "";
  let flags: string[] = [];
  for (const line of stdout.split("\n")) {
    const header = /status: ([A-Z]+)/.exec(line);
    if (header) status = header[1]!;
    const flagLine = /^;; flags: ([^;]*);/.exec(line);
    if (flagLine) flags = flagLine[1]!.trim().split(/\s+/);
    const section = /^;; ([A-Z]+) SECTION:/.exec(line);
    if (section) {
      current = sections[section[1]!];
      continue;
    }
    if (line.trim() === "" || line.startsWith(";")) {
      if (line.trim() === "") current = undefined;
      continue;
    }
    current?.push(line.trim().split(/\s+/).join(" "));
  }
  return { status, flags, answer: sections["ANSWER"]!, authority: sections["AUTHORITY"]!, additional: sections["ADDITIONAL"]!, raw: stdout };
}

/** types lists the record types of a section's lines, in order. */
export function types(records: readonly string[]): string[] {
  return records.map((line) => line.split(" ")[3] ?? "");
}

/** rdata lists the rdata of a section's lines, sorted. */
export function rdata(records: readonly string[]): string[] {
  return records.map((line) => line.split(" ").slice(4).join(" ")).sort();
}
