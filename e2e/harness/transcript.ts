import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { CommandResult } from "./command.js";

/** Where walkthrough transcripts are written: e2e/transcripts/<walkthrough>.txt (ignored by git). */
export const TRANSCRIPT_DIR = join(dirname(fileURLToPath(import.meta.url)), "..", "transcripts");

/**
 * Transcript records a walkthrough as the seeds show one: what was typed, in which pod, and what came back.
 * It is written to a file on save(), and echoed to the console as it happens when E2E_TRANSCRIPT=1.
 */
export class Transcript {
  private readonly lines: string[] = [];

  constructor(
    readonly walkthrough: string,
    private readonly echo: boolean = false,
  ) {}

  /** note adds free text, such as a pod's resolv.conf or what the test is about to do. */
  note(text: string): void {
    this.add(`# ${text.replace(/\n/g, "\n# ")}`);
  }

  /** command adds a command typed in a pod and its output. */
  command(pod: string, commandLine: string, result: CommandResult): void {
    const output = (result.stdout + result.stderr).trimEnd();
    this.add(`${pod}$ ${commandLine}\n${output}${result.code === 0 ? "" : `\n(exit ${result.code})`}`);
  }

  /** text returns the transcript so far. */
  text(): string {
    return this.lines.join("\n\n") + "\n";
  }

  /** save writes the transcript file and returns its path. */
  save(): string {
    const path = join(TRANSCRIPT_DIR, `${this.walkthrough}.txt`);
    mkdirSync(TRANSCRIPT_DIR, { recursive: true });
    writeFileSync(path, this.text());
    return path;
  }

  private add(entry: string): void {
    this.lines.push(entry);
    if (this.echo) process.stdout.write(entry + "\n\n");
  }
}
