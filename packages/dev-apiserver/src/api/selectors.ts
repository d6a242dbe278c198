import { badRequest } from "./status.js";

/** Requirement is one term of a label selector. */
export type Requirement =
  | { readonly key: string; readonly op: "=" | "!="; readonly value: string }
  | { readonly key: string; readonly op: "in" | "notin"; readonly values: readonly string[] }
  | { readonly key: string; readonly op: "exists" | "!" };

/** Selector is a conjunction of requirements; the empty selector matches everything. */
export type Selector = readonly Requirement[];

const KEY = /^([a-z0-9A-Z]([-a-z0-9A-Z_.]*[a-z0-9A-Z])?\/)?[a-z0-9A-Z]([-a-z0-9A-Z_.]*[a-z0-9A-Z])?$/;
const VALUE = /^([a-z0-9A-Z]([-a-z0-9A-Z_.]*[a-z0-9A-Z])?)?$/;

/** splitTerms splits on commas outside parentheses: `a in (x,y),b` is two terms. */
function splitTerms(text: string): string[] {
  const terms: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === "(") depth++;
    else if (c === ")") depth--;
    else if (c === "," && depth === 0) {
      terms.push(text.slice(start, i));
      start = i + 1;
    }
  }
  terms.push(text.slice(start));
  return terms.map((t) => t.trim()).filter((t) => t !== "");
}

function checkKey(key: string, text: string): string {
  if (!KEY.test(key)) throw badRequest(`unable to parse requirement: invalid label key ${JSON.stringify(key)} in ${JSON.stringify(text)}`);
  return key;
}

function checkValue(value: string, text: string): string {
  if (!VALUE.test(value) || value.length > 63) throw badRequest(`unable to parse requirement: invalid label value ${JSON.stringify(value)} in ${JSON.stringify(text)}`);
  return value;
}

/** parseLabelSelector reads the labelSelector query syntax: `=`, `==`, `!=`, `in`, `notin`, `key`, `!key`. */
export function parseLabelSelector(text: string): Selector {
  return splitTerms(text).map((term): Requirement => {
    const set = /^(\S+)\s+(in|notin)\s*\(([^)]*)\)$/.exec(term);
    if (set) {
      const values = set[3]!.split(",").map((v) => checkValue(v.trim(), text));
      return { key: checkKey(set[1]!, text), op: set[2] as "in" | "notin", values };
    }
    const equality = /^([^=!\s]+)\s*(==|=|!=)\s*(\S*)$/.exec(term);
    if (equality) {
      const op = equality[2] === "!=" ? "!=" : "=";
      return { key: checkKey(equality[1]!, text), op, value: checkValue(equality[3]!, text) };
    }
    if (term.startsWith("!")) return { key: checkKey(term.slice(1).trim(), text), op: "!" };
    return { key: checkKey(term, text), op: "exists" };
  });
}

/** matchesLabels tells whether labels satisfy every requirement of the selector. */
export function matchesLabels(selector: Selector, labels: Readonly<Record<string, string>> | undefined): boolean {
  const has = (key: string): boolean => labels !== undefined && Object.hasOwn(labels, key);
  return selector.every((r) => {
    const value = labels?.[r.key];
    switch (r.op) {
      case "=":
        return has(r.key) && value === r.value;
      case "!=":
        return !has(r.key) || value !== r.value;
      case "in":
        return has(r.key) && r.values.includes(value as string);
      case "notin":
        return !has(r.key) || !r.values.includes(value as string);
      case "exists":
        return has(r.key);
      case "!":
        return !has(r.key);
    }
  });
}

/** FieldRequirement is one term of a field selector. */
export interface FieldRequirement {
  readonly field: string;
  readonly op: "=" | "!=";
  readonly value: string;
}

/** parseFieldSelector reads `metadata.name=x,metadata.namespace!=y`; fields outside supported are refused. */
export function parseFieldSelector(text: string, supported: readonly string[]): FieldRequirement[] {
  return splitTerms(text).map((term) => {
    const match = /^([^=!\s]+)\s*(==|=|!=)\s*(.*)$/.exec(term);
    if (!match) throw badRequest(`invalid selector: '${text}'; can't understand '${term}'`);
    const field = match[1]!;
    if (!supported.includes(field)) throw badRequest(`field label not supported: ${field}`);
    return { field, op: match[2] === "!=" ? "!=" : "=", value: match[3]!.trim() };
  });
}

/** matchesFields tells whether the object's field values satisfy every requirement. */
export function matchesFields(requirements: readonly FieldRequirement[], fields: Readonly<Record<string, string>>): boolean {
  return requirements.every((r) => ((fields[r.field] ?? "") === r.value) === (r.op === "="));
}

/** selectorFromMap turns a service's spec.selector map into a selector (empty map: matches nothing here). */
export function selectorFromMap(map: Readonly<Record<string, string>>): Selector {
  return Object.entries(map).map(([key, value]) => ({ key, op: "=", value }));
}
