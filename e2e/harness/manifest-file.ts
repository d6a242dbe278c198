import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { onTestFinished } from "vitest";
import type { Transcript } from "./transcript.js";

/**
 * manifestFile writes a YAML manifest that a walkthrough makes up (such as one more pod) to a temporary file for
 * `kubectl create -f`, shows it in the transcript, and removes it when the test ends.
 */
export function manifestFile(fileName: string, yamlText: string, transcript?: Transcript): string {
  const dir = mkdtempSync(join(tmpdir(), "kube-dns-e2e-manifest-"));
  const path = join(dir, fileName);
  writeFileSync(path, yamlText);
  transcript?.note(`${fileName}:\n${yamlText.trimEnd()}`);
  onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
  return path;
}
