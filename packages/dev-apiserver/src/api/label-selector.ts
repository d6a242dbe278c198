import type { Requirement, Selector } from "./selectors.js";
import type { FieldError } from "./status.js";
import { isJsonObject } from "./types.js";

// metav1.LabelSelector, the structured selector of Deployments: matchLabels ANDed with matchExpressions.

const OPERATORS: Readonly<Record<string, Requirement["op"]>> = { In: "in", NotIn: "notin", Exists: "exists", DoesNotExist: "!" };

const isStringMap = (value: unknown): value is Record<string, string> => isJsonObject(value) && Object.values(value).every((v) => typeof v === "string");

/** validateLabelSelector reports what is malformed in a metav1.LabelSelector, as apimachinery's validation does. */
export function validateLabelSelector(value: unknown, field: string): FieldError[] {
  if (!isJsonObject(value)) return [{ field, message: "Invalid value: must be a label selector object" }];
  const errors: FieldError[] = [];
  if (value["matchLabels"] !== undefined && value["matchLabels"] !== null && !isStringMap(value["matchLabels"])) {
    errors.push({ field: `${field}.matchLabels`, message: "Invalid value: must be a map of strings" });
  }
  const expressions = value["matchExpressions"] ?? [];
  if (!Array.isArray(expressions)) return [...errors, { field: `${field}.matchExpressions`, message: "Invalid value: must be a list" }];
  expressions.forEach((expression: unknown, i) => {
    const at = `${field}.matchExpressions[${i}]`;
    if (!isJsonObject(expression)) return errors.push({ field: at, message: "Invalid value: must be an object" });
    const operator = String(expression["operator"] ?? "");
    const values = expression["values"] ?? [];
    if (typeof expression["key"] !== "string" || expression["key"] === "") errors.push({ field: `${at}.key`, message: "Required value", reason: "FieldValueRequired" });
    if (OPERATORS[operator] === undefined) {
      errors.push({ field: `${at}.operator`, message: `Invalid value: ${JSON.stringify(operator)}: not a valid selector operator`, reason: "FieldValueInvalid" });
    } else if (!Array.isArray(values) || !values.every((v) => typeof v === "string")) {
      errors.push({ field: `${at}.values`, message: "Invalid value: must be a list of strings" });
    } else if ((operator === "In" || operator === "NotIn") && values.length === 0) {
      errors.push({ field: `${at}.values`, message: "Required value: must be specified when `operator` is 'In' or 'NotIn'", reason: "FieldValueRequired" });
    } else if ((operator === "Exists" || operator === "DoesNotExist") && values.length > 0) {
      errors.push({ field: `${at}.values`, message: "Forbidden: may not be specified when `operator` is 'Exists' or 'DoesNotExist'", reason: "FieldValueForbidden" });
    }
  });
  return errors;
}

/** fromLabelSelector turns a metav1.LabelSelector into a selector; undefined when it is malformed. */
export function fromLabelSelector(value: unknown): Selector | undefined {
  if (!isJsonObject(value) || validateLabelSelector(value, "selector").length > 0) return undefined;
  const requirements: Requirement[] = Object.entries((value["matchLabels"] ?? {}) as Record<string, string>).map(([key, v]) => ({ key, op: "=", value: v }));
  for (const expression of (value["matchExpressions"] ?? []) as { key: string; operator: string; values?: string[] }[]) {
    const op = OPERATORS[expression.operator] as Requirement["op"];
    requirements.push(op === "in" || op === "notin" ? { key: expression.key, op, values: [...(expression.values ?? [])] } : { key: expression.key, op: op as "exists" | "!" });
  }
  return requirements;
}

function formatRequirement(r: Requirement): string {
  switch (r.op) {
    case "=":
    case "!=":
      return `${r.key}${r.op}${r.value}`;
    case "in":
    case "notin":
      return `${r.key} ${r.op} (${[...r.values].sort().join(",")})`;
    case "exists":
      return r.key;
    case "!":
      return `!${r.key}`;
  }
}

/** formatSelector writes a selector as apimachinery's labels.Selector String() does: sorted by key, comma-separated. */
export function formatSelector(selector: Selector): string {
  return [...selector].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0)).map(formatRequirement).join(",");
}

/** goMap writes a label map as Go's %#v does in validation messages: map[string]string{"run":"my-nginx"}. */
export function goMap(labels: Readonly<Record<string, string>> | undefined): string {
  if (labels === undefined) return "map[string]string(nil)";
  const entries = Object.entries(labels ?? {}).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `map[string]string{${entries.map(([k, v]) => `${JSON.stringify(k)}:${JSON.stringify(v)}`).join(", ")}}`;
}
