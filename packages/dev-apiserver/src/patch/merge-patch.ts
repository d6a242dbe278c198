import { isJsonObject } from "../api/types.js";

/**
 * mergePatch applies a JSON merge patch (RFC 7386 section 2): objects merge key by key, null removes a
 * key, anything else replaces. The target is not modified.
 */
export function mergePatch(target: unknown, patch: unknown): unknown {
  if (!isJsonObject(patch)) return patch;
  const result: Record<string, unknown> = isJsonObject(target) ? { ...target } : {};
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete result[key];
    else result[key] = mergePatch(result[key], value);
  }
  return result;
}
