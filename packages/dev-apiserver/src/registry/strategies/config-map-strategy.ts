import { type FieldError, invalid } from "../../api/status.js";
import { isJsonObject, type KubeObject } from "../../api/types.js";
import { plainStrategy } from "./strategy.js";

// kube-apiserver's ValidateConfigMap: keys are config keys, `data` holds strings and `binaryData` base64, no key in
// both, and the whole is at most 1 MiB. An immutable ConfigMap refuses every change to its data.

const CONFIG_KEY = /^[-._a-zA-Z0-9]+$/;
const MAX_CONFIG_MAP_BYTES = 1024 * 1024;
const DATA_FIELDS = ["data", "binaryData"] as const;

function validateConfigMap(object: KubeObject): FieldError[] {
  const errors: FieldError[] = [];
  const keys = new Set<string>();
  let bytes = 0;
  for (const field of DATA_FIELDS) {
    const map = object[field];
    if (map === undefined || map === null) continue;
    if (!isJsonObject(map)) {
      errors.push({ field, message: "Invalid value: must be a map of strings" });
      continue;
    }
    for (const [key, value] of Object.entries(map)) {
      if (!CONFIG_KEY.test(key) || key === "." || key === ".." || key.length > 253) {
        errors.push({ field: `${field}[${key}]`, message: `Invalid value: ${JSON.stringify(key)}: a valid config key must consist of alphanumeric characters, '-', '_' or '.'` });
      }
      if (typeof value !== "string") errors.push({ field: `${field}[${key}]`, message: "Invalid value: must be a string" });
      else bytes += key.length + value.length;
      if (keys.has(key)) errors.push({ field: `${field}[${key}]`, message: `Invalid value: ${JSON.stringify(key)}: duplicate of key present in data`, reason: "FieldValueDuplicate" });
      keys.add(key);
    }
  }
  if (bytes > MAX_CONFIG_MAP_BYTES) errors.push({ field: "", message: `Too long: must have at most ${MAX_CONFIG_MAP_BYTES} bytes` });
  return errors;
}

/** configMapStrategy validates ConfigMaps and refuses changes to an immutable one's data. */
export const configMapStrategy = plainStrategy({
  validate: validateConfigMap,
  prepareUpdate(object: KubeObject, old: KubeObject) {
    if (old["immutable"] !== true) return {};
    const changed = [...DATA_FIELDS, "immutable" as const].filter((field) => JSON.stringify(object[field]) !== JSON.stringify(old[field]));
    if (changed.length === 0) return {};
    const ref = { resource: "configmaps", group: "", kind: "ConfigMap", name: old.metadata.name ?? "" };
    throw invalid(ref, changed.map((field) => ({ field, message: "Forbidden: field is immutable when `immutable` is set", reason: "FieldValueForbidden" as const })));
  },
});
