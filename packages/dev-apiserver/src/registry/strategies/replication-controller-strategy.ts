import { defaultTemplate, validateCount, validateTemplate } from "./pod-template.js";
import type { FieldError } from "../../api/status.js";
import { plainStrategy, type Strategy } from "./strategy.js";
import { isJsonObject, type JsonObject, type KubeObject } from "../../api/types.js";
import { podSelectorOf, specOf, templateLabels, templateOf } from "../../api/workload.js";

/**
 * defaults are v1's SetDefaults_ReplicationController: with a template, an empty selector and empty labels both
 * become the template's labels; replicas default to 1.
 */
function defaults(object: KubeObject): void {
  if (!isJsonObject(object["spec"])) object["spec"] = {};
  const s = object["spec"] as JsonObject;
  if (templateOf(object) !== undefined) {
    const labels = templateLabels(object);
    if (Object.keys(labels).length > 0) {
      if (!isJsonObject(s["selector"]) || Object.keys(s["selector"]).length === 0) s["selector"] = { ...labels };
      if (Object.keys(object.metadata.labels ?? {}).length === 0) object.metadata.labels = { ...labels };
    }
  }
  s["replicas"] ??= 1;
  defaultTemplate(s);
}

function validateSelector(s: JsonObject): FieldError[] {
  const selector = s["selector"];
  if (!isJsonObject(selector) || Object.keys(selector).length === 0) return [{ field: "spec.selector", message: "Required value", reason: "FieldValueRequired" }];
  if (!Object.values(selector).every((v) => typeof v === "string")) return [{ field: "spec.selector", message: "Invalid value: must be a map of labels" }];
  return [];
}

/** replicationControllerStrategy defaults and validates v1 ReplicationControllers; status is written through its subresource. */
export const replicationControllerStrategy: Strategy = plainStrategy({
  statusSubresource: true,
  tracksGeneration: true,
  prepareCreate(object: KubeObject) {
    defaults(object);
    // replicas is the one status field the v1 type always writes, even when 0.
    object["status"] = { replicas: 0 };
    return Promise.resolve({});
  },
  prepareUpdate(object: KubeObject, old: KubeObject) {
    defaults(object);
    object["status"] = old["status"];
    return {};
  },
  validate(object: KubeObject) {
    const s = specOf(object);
    return [...validateCount(s, "replicas"), ...validateSelector(s), ...validateTemplate(s, podSelectorOf("ReplicationController", object)), ...validateCount(s, "minReadySeconds")];
  },
});
