import { goMap } from "../../api/label-selector.js";
import { validateLabels } from "../meta.js";
import { defaultPodSpec, validatePodSpec } from "./pod-strategy.js";
import { matchesLabels, type Selector } from "../../api/selectors.js";
import type { FieldError } from "../../api/status.js";
import { isJsonObject, type JsonObject } from "../../api/types.js";

// The parts of workload validation and defaulting that Deployments and ReplicationControllers share.

/** defaultTemplate defaults spec.template's pod spec in place, as pods are defaulted (but not bound to a node). */
export function defaultTemplate(spec: JsonObject): void {
  const template = spec["template"];
  if (!isJsonObject(template)) return;
  if (!isJsonObject(template["spec"])) template["spec"] = {};
  defaultPodSpec(template["spec"] as JsonObject);
}

/**
 * validateTemplate checks spec.template: present, its labels matched by the selector (when there is one),
 * restartPolicy Always (a controller's pods always run), and a valid pod spec.
 */
export function validateTemplate(spec: JsonObject, selector: Selector | undefined): FieldError[] {
  const template = spec["template"];
  if (!isJsonObject(template)) return [{ field: "spec.template", message: "Required value", reason: "FieldValueRequired" }];
  const errors: FieldError[] = [];
  const metadata = isJsonObject(template["metadata"]) ? template["metadata"] : {};
  const labels = isJsonObject(metadata["labels"]) ? (metadata["labels"] as Record<string, string>) : undefined;
  errors.push(...validateLabels(labels).map((e) => ({ ...e, field: `spec.template.${e.field}` })));
  if (selector !== undefined && selector.length > 0 && !matchesLabels(selector, labels)) {
    errors.push({ field: "spec.template.metadata.labels", message: `Invalid value: ${goMap(labels)}: \`selector\` does not match template \`labels\`` });
  }
  const podSpec = isJsonObject(template["spec"]) ? template["spec"] : {};
  const restartPolicy = podSpec["restartPolicy"];
  if (restartPolicy !== undefined && restartPolicy !== "Always") {
    errors.push({ field: "spec.template.spec.restartPolicy", message: `Unsupported value: ${JSON.stringify(restartPolicy)}: supported values: "Always"`, reason: "FieldValueNotSupported" });
  }
  errors.push(...validatePodSpec(podSpec, "spec.template.spec"));
  return errors;
}

/** validateCount checks an optional count field of spec (replicas, minReadySeconds): an integer, 0 or more. */
export function validateCount(spec: JsonObject, name: string): FieldError[] {
  const value = spec[name];
  if (value === undefined || value === null) return [];
  if (typeof value !== "number" || !Number.isSafeInteger(value)) return [{ field: `spec.${name}`, message: `Invalid value: ${JSON.stringify(value)}: must be an integer` }];
  return value < 0 ? [{ field: `spec.${name}`, message: `Invalid value: ${value}: must be greater than or equal to 0` }] : [];
}
