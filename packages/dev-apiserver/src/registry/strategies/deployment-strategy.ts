import { canonicalJson } from "../../codec/canonical-json.js";
import { goMap, validateLabelSelector } from "../../api/label-selector.js";
import { defaultTemplate, validateCount, validateTemplate } from "./pod-template.js";
import { invalid, type FieldError } from "../../api/status.js";
import { plainStrategy, type Strategy } from "./strategy.js";
import { isJsonObject, type JsonObject, type KubeObject } from "../../api/types.js";
import { podSelectorOf, specOf } from "../../api/workload.js";

const STRATEGY_TYPES = ["Recreate", "RollingUpdate"];

function spec(object: KubeObject): JsonObject {
  if (!isJsonObject(object["spec"])) object["spec"] = {};
  return object["spec"] as JsonObject;
}

/** defaults are apps/v1's: 1 replica, a 25%/25% rolling update, 10 old revisions, a 600 s progress deadline. */
function defaults(object: KubeObject): void {
  const s = spec(object);
  s["replicas"] ??= 1;
  if (!isJsonObject(s["strategy"])) s["strategy"] = {};
  const strategy = s["strategy"] as JsonObject;
  strategy["type"] ??= "RollingUpdate";
  if (strategy["type"] === "RollingUpdate") {
    const rolling = isJsonObject(strategy["rollingUpdate"]) ? strategy["rollingUpdate"] : {};
    strategy["rollingUpdate"] = { maxUnavailable: rolling["maxUnavailable"] ?? "25%", maxSurge: rolling["maxSurge"] ?? "25%" };
  }
  s["revisionHistoryLimit"] ??= 10;
  s["progressDeadlineSeconds"] ??= 600;
  defaultTemplate(s);
}

function validateSelector(s: JsonObject): FieldError[] {
  const selector = s["selector"];
  if (selector === undefined || selector === null) return [{ field: "spec.selector", message: "Required value", reason: "FieldValueRequired" }];
  const errors = validateLabelSelector(selector, "spec.selector");
  if (errors.length > 0) return errors;
  const { matchLabels, matchExpressions } = selector as JsonObject;
  if (Object.keys(isJsonObject(matchLabels) ? matchLabels : {}).length === 0 && (!Array.isArray(matchExpressions) || matchExpressions.length === 0)) {
    const shown = `v1.LabelSelector{MatchLabels:${goMap(isJsonObject(matchLabels) ? (matchLabels as Record<string, string>) : undefined)}, MatchExpressions:[]v1.LabelSelectorRequirement(nil)}`;
    errors.push({ field: "spec.selector", message: `Invalid value: ${shown}: empty selector is invalid for deployment` });
  }
  return errors;
}

function validateStrategy(s: JsonObject): FieldError[] {
  const strategy = isJsonObject(s["strategy"]) ? s["strategy"] : {};
  if (!STRATEGY_TYPES.includes(String(strategy["type"]))) {
    return [{ field: "spec.strategy.type", message: `Unsupported value: ${JSON.stringify(strategy["type"])}: supported values: "Recreate", "RollingUpdate"`, reason: "FieldValueNotSupported" }];
  }
  if (strategy["type"] === "Recreate" && strategy["rollingUpdate"] !== undefined && strategy["rollingUpdate"] !== null) {
    return [{ field: "spec.strategy.rollingUpdate", message: "Forbidden: may not be specified when strategy `type` is 'Recreate'", reason: "FieldValueForbidden" }];
  }
  return [];
}

/**
 * deploymentStrategy defaults and validates apps/v1 Deployments as kube-apiserver does: the selector is required,
 * not empty, matches the template's labels and may not change; status is written through its subresource.
 */
export const deploymentStrategy: Strategy = plainStrategy({
  statusSubresource: true,
  tracksGeneration: true,
  prepareCreate(object: KubeObject) {
    defaults(object);
    object["status"] = {};
    return Promise.resolve({});
  },
  prepareUpdate(object: KubeObject, old: KubeObject) {
    defaults(object);
    object["status"] = old["status"];
    if (canonicalJson(specOf(object)["selector"]) !== canonicalJson(specOf(old)["selector"])) {
      const ref = { resource: "deployments", group: "apps", kind: "Deployment", name: old.metadata.name ?? "" };
      throw invalid(ref, [{ field: "spec.selector", message: `Invalid value: ${JSON.stringify(specOf(object)["selector"] ?? null)}: field is immutable` }]);
    }
    return {};
  },
  validate(object: KubeObject) {
    const s = specOf(object);
    return [
      ...validateCount(s, "replicas"),
      ...validateSelector(s),
      ...validateTemplate(s, podSelectorOf("Deployment", object)),
      ...validateStrategy(s),
      ...validateCount(s, "minReadySeconds"),
    ];
  },
});
