/**
 * parseBoolean reads a flag or environment value as Go's strconv.ParseBool does, plus yes/no:
 * 1, t, true, yes and 0, f, false, no, in any case. It throws with the text on anything else, so that
 * `KUBE2SKY_PODS=flase` is an error instead of silently on or off.
 */
export function parseBoolean(text: string): boolean {
  // commander hands an optional-value flag its preset (`true`) rather than a string.
  const trimmed = String(text).trim();
  if (/^(1|t|true|yes)$/i.test(trimmed)) return true;
  if (/^(0|f|false|no)$/i.test(trimmed)) return false;
  throw new Error(`${JSON.stringify(text)} is not a boolean; write true or false`);
}
