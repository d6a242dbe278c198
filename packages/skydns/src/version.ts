import { readFileSync } from "node:fs";

/** packageVersion reads this package's version from its package.json (beside src/ and dist/ alike), for build_info. */
export function packageVersion(): string {
  try {
    const manifest = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as { version?: unknown };
    return typeof manifest.version === "string" ? manifest.version : "unknown";
  } catch {
    return "unknown";
  }
}
