import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runCommand } from "./command.js";

const CHROMIUM_TIMEOUT_MS = 30_000;

/**
 * chromium runs the real headless Chromium (Debian's `chromium`) once on url with args (`--dump-dom`,
 * `--screenshot=FILE`), in a profile of its own that is removed afterwards. As root it must run without its sandbox.
 * It loads only what url serves: the page under test fetches nothing else.
 */
export async function chromium(url: string, args: readonly string[]): Promise<string> {
  const profile = mkdtempSync(join(tmpdir(), "kube-dns-e2e-chromium-"));
  try {
    const result = await runCommand("chromium", [
      "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-extensions", "--disable-background-networking",
      "--disable-sync", "--disable-component-update", "--disable-default-apps", `--user-data-dir=${profile}`, ...args, url,
    ], CHROMIUM_TIMEOUT_MS);
    if (result.code !== 0) throw new Error(`chromium ${args.join(" ")} ${url} exited ${result.code}: ${result.stderr.trim().slice(-800)}`);
    return result.stdout;
  } finally {
    rmSync(profile, { recursive: true, force: true });
  }
}

/** dumpDom is the page's DOM as Chromium serializes it once loaded. */
export function dumpDom(url: string): Promise<string> {
  return chromium(url, ["--dump-dom"]);
}

/** screenshot writes a PNG of the page at width x height to file. */
export async function screenshot(url: string, file: string, width = 1280, height = 1400): Promise<void> {
  await chromium(url, [`--screenshot=${file}`, `--window-size=${width},${height}`, "--hide-scrollbars"]);
}
