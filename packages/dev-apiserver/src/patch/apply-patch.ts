import { applyJsonPatch } from "./json-patch.js";
import { mergePatch } from "./merge-patch.js";
import { applyStrategicMergePatch } from "./strategic-merge-patch.js";

/** PatchType is a patch's media type: JSON merge patch, strategic merge patch or JSON patch. */
export type PatchType = "merge" | "strategic" | "json";

/** applyPatch applies a patch of the given type to a copy of target. */
export function applyPatch(type: PatchType, target: unknown, patch: unknown): unknown {
  return type === "json" ? applyJsonPatch(target, patch) : type === "strategic" ? applyStrategicMergePatch(target, patch) : mergePatch(target, patch);
}
