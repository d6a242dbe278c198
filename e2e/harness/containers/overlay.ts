import { parseAllDocuments, stringify } from "yaml";

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/**
 * overlay merges patch into the single object of manifestYaml and returns the result as YAML, the way a strategic
 * merge patch treats a pod: maps merge key by key, lists of named items (containers, volumes, env, volumeMounts)
 * merge item by item on `name` (an item with a new name is appended), and any other value is replaced. `${KEY}` in
 * the patch is replaced by values[KEY] first; a placeholder without a value throws.
 */
export function overlay(manifestYaml: string, patchYaml: string, values: Readonly<Record<string, string>>): string {
  const documents = parseAllDocuments(manifestYaml);
  if (documents.length !== 1) throw new Error(`the manifest holds ${documents.length} objects; the overlay applies to exactly one`);
  const filled = patchYaml.replace(/\$\{([A-Z_]+)\}/g, (_match, key: string) => {
    const value = values[key];
    if (value === undefined) throw new Error(`the overlay's \${${key}} has no value`);
    return value;
  });
  const [patch] = parseAllDocuments(filled);
  return stringify(merge(documents[0]!.toJS() as Json, patch!.toJS() as Json), { lineWidth: 0 });
}

function merge(base: Json, patch: Json): Json {
  if (isMap(base) && isMap(patch)) {
    const merged: { [key: string]: Json } = { ...base };
    for (const [key, value] of Object.entries(patch)) merged[key] = key in base ? merge(base[key]!, value) : value;
    return merged;
  }
  if (Array.isArray(base) && Array.isArray(patch) && [...base, ...patch].every((item) => isMap(item) && typeof item["name"] === "string")) {
    const merged = base.map((item) => {
      const named = patch.find((p) => (p as { name: string }).name === (item as { name: string }).name);
      return named === undefined ? item : merge(item, named);
    });
    for (const item of patch) if (!base.some((b) => (b as { name: string }).name === (item as { name: string }).name)) merged.push(item);
    return merged;
  }
  return patch;
}

function isMap(value: Json | undefined): value is { [key: string]: Json } {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
