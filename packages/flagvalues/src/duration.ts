const UNIT_MS: Readonly<Record<string, number>> = { ns: 1e-6, us: 1e-3, "µs": 1e-3, ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
const PART = /(\d+(?:\.\d+)?|\.\d+)(ns|us|µs|ms|s|m|h)/y;

/**
 * parseDuration reads a Go duration (`2s`, `1m30s`, `500ms`, `1.5h`; a bare `0` too) as milliseconds,
 * so flags keep the originals' spelling (`--period=2s`). It throws with the flag's text on anything else.
 */
export function parseDuration(text: string): number {
  const trimmed = text.trim();
  if (trimmed === "0") return 0;
  if (trimmed === "") throw new Error("duration is empty; write it like 2s, 500ms or 1m30s");
  let total = 0;
  PART.lastIndex = 0;
  while (PART.lastIndex < trimmed.length) {
    const start = PART.lastIndex;
    const match = PART.exec(trimmed);
    if (match === null || match.index !== start) {
      throw new Error(`invalid duration ${JSON.stringify(text)}; write it like 2s, 500ms or 1m30s`);
    }
    total += Number(match[1]) * (UNIT_MS[match[2] as string] ?? Number.NaN);
  }
  if (!Number.isFinite(total)) throw new Error(`invalid duration ${JSON.stringify(text)}`);
  return total;
}

/** formatDuration writes milliseconds back in Go's style, for help texts and logs: 2000 -> `2s`. */
export function formatDuration(ms: number): string {
  if (ms === 0) return "0s";
  if (ms < 1000) return `${ms}ms`;
  const hours = Math.floor(ms / 3_600_000);
  const minutes = Math.floor((ms % 3_600_000) / 60_000);
  const seconds = (ms % 60_000) / 1000;
  return `${hours ? `${hours}h` : ""}${minutes ? `${minutes}m` : ""}${seconds ? `${seconds}s` : ""}`;
}
