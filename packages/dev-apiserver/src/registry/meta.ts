import { randomBytes, randomUUID } from "node:crypto";
import type { FieldError } from "../api/status.js";
import type { ObjectMeta } from "../api/types.js";

const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS1035_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** NameRule is how a resource's names are validated (services and namespaces use stricter rules). */
export type NameRule = "dns1123-subdomain" | "dns1123-label" | "dns1035-label";

/** validateName checks metadata.name against the rule, as apimachinery's validation does. */
export function validateName(name: string, rule: NameRule): FieldError[] {
  const max = rule === "dns1123-subdomain" ? 253 : 63;
  const pattern = rule === "dns1123-subdomain" ? DNS1123_SUBDOMAIN : rule === "dns1123-label" ? DNS1123_LABEL : DNS1035_LABEL;
  if (name === "") return [{ field: "metadata.name", message: "Required value: name or generateName is required", reason: "FieldValueRequired" }];
  const errors: FieldError[] = [];
  if (name.length > max) errors.push({ field: "metadata.name", message: `Invalid value: "${name}": must be no more than ${max} characters` });
  if (!pattern.test(name)) {
    const what = rule === "dns1035-label" ? "a DNS-1035 label" : rule === "dns1123-label" ? "a lowercase RFC 1123 label" : "a lowercase RFC 1123 subdomain";
    errors.push({ field: "metadata.name", message: `Invalid value: "${name}": a name must be ${what}` });
  }
  return errors;
}

/** validateLabels checks label keys and values the way metadata validation does. */
export function validateLabels(labels: Record<string, string> | undefined): FieldError[] {
  const errors: FieldError[] = [];
  for (const [key, value] of Object.entries(labels ?? {})) {
    const [prefix, name] = key.includes("/") ? [key.slice(0, key.indexOf("/")), key.slice(key.indexOf("/") + 1)] : ["", key];
    const nameOk = /^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/.test(name) && name.length <= 63;
    if (!nameOk || (prefix !== "" && !DNS1123_SUBDOMAIN.test(prefix))) errors.push({ field: "metadata.labels", message: `Invalid value: "${key}": invalid label key` });
    if (typeof value !== "string" || value.length > 63 || !/^([A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?)?$/.test(value)) {
      errors.push({ field: "metadata.labels", message: `Invalid value: ${JSON.stringify(value)}: invalid label value` });
    }
  }
  return errors;
}

/** generateName appends five random lowercase alphanumerics to a generateName prefix, as the server does. */
export function generateName(prefix: string): string {
  const alphabet = "bcdfghjklmnpqrstvwxz2456789";
  const bytes = randomBytes(5);
  return prefix + Array.from(bytes, (b) => alphabet[b % alphabet.length]).join("");
}

/** nowTimestamp is an RFC 3339 timestamp with second precision, like metav1.Time. */
export function nowTimestamp(): string {
  return new Date().toISOString().replace(/\.\d{3}Z$/, "Z");
}

/** stampCreate sets what the server owns on a new object's metadata: uid, creationTimestamp, no resourceVersion. */
export function stampCreate(meta: ObjectMeta, name: string, namespace: string | undefined): ObjectMeta {
  const { resourceVersion: _rv, deletionTimestamp: _deleted, managedFields: _managed, selfLink: _self, ...rest } = meta;
  const stamped: ObjectMeta = { ...rest, name, uid: randomUUID(), creationTimestamp: nowTimestamp() };
  if (namespace !== undefined) stamped.namespace = namespace;
  else delete stamped.namespace;
  return stamped;
}

/** carryOver keeps the fields an update may not change: uid, creationTimestamp, generation and the name. */
export function carryOver(meta: ObjectMeta, old: ObjectMeta): ObjectMeta {
  const { managedFields: _managed, selfLink: _self, ...rest } = meta;
  const kept: ObjectMeta = { ...rest, name: old.name, uid: old.uid, creationTimestamp: old.creationTimestamp };
  if (old.namespace !== undefined) kept.namespace = old.namespace;
  if (old.generation !== undefined) kept.generation = old.generation;
  else delete kept.generation;
  return kept;
}
