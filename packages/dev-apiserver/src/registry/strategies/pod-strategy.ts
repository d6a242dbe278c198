import { nowTimestamp } from "../meta.js";
import { ApiError, type FieldError } from "../../api/status.js";
import { plainStrategy, type Strategy, type StrategyContext } from "./strategy.js";
import { isJsonObject, type JsonObject, type KubeObject } from "../../api/types.js";

/** POD_IP_CLAIMS is the etcd prefix holding one key per allocated pod IP. */
export const POD_IP_CLAIMS = "/registry/ranges/podips/";

/** NODE_NAME is the one node every pod is bound to: there is no scheduler here. */
export const NODE_NAME = "dev-node";

function containersOf(spec: JsonObject): JsonObject[] {
  return Array.isArray(spec["containers"]) ? (spec["containers"] as unknown[]).filter(isJsonObject) : [];
}

/** defaultPodSpec fills what the v1 defaulting fills in a pod spec (or a pod template's), the node aside. */
export function defaultPodSpec(spec: JsonObject): void {
  spec["restartPolicy"] ??= "Always";
  spec["dnsPolicy"] ??= "ClusterFirst";
  spec["terminationGracePeriodSeconds"] ??= 30;
  spec["schedulerName"] ??= "default-scheduler";
  for (const container of containersOf(spec)) {
    const image = String(container["image"] ?? "");
    const tagged = /:[^/]+$/.test(image) && !image.endsWith(":latest");
    container["imagePullPolicy"] ??= tagged || image.includes("@") ? "IfNotPresent" : "Always";
    container["terminationMessagePath"] ??= "/dev/termination-log";
    container["terminationMessagePolicy"] ??= "File";
    if (Array.isArray(container["ports"])) for (const port of container["ports"] as unknown[]) if (isJsonObject(port)) port["protocol"] ??= "TCP";
  }
}

function defaultSpec(spec: JsonObject): void {
  defaultPodSpec(spec);
  spec["nodeName"] ??= NODE_NAME;
}

/** validatePodSpec checks what every pod needs: containers, each with a name and an image; field names start at prefix. */
export function validatePodSpec(spec: JsonObject, prefix: string): FieldError[] {
  const errors: FieldError[] = [];
  const containers = containersOf(spec);
  if (containers.length === 0) errors.push({ field: `${prefix}.containers`, message: "Required value", reason: "FieldValueRequired" });
  containers.forEach((c, i) => {
    if (typeof c["name"] !== "string" || c["name"] === "") errors.push({ field: `${prefix}.containers[${i}].name`, message: "Required value", reason: "FieldValueRequired" });
    if (typeof c["image"] !== "string" || c["image"] === "") errors.push({ field: `${prefix}.containers[${i}].image`, message: "Required value", reason: "FieldValueRequired" });
  });
  return errors;
}

/** runningStatus is what a kubelet would report for a started pod: Running, Ready, with its IP. */
function runningStatus(spec: JsonObject, podIP: string): JsonObject {
  const now = nowTimestamp();
  const condition = (type: string): JsonObject => ({ type, status: "True", lastProbeTime: null, lastTransitionTime: now });
  return {
    phase: "Running",
    conditions: ["PodReadyToStartContainers", "Initialized", "Ready", "ContainersReady", "PodScheduled"].map(condition),
    podIP,
    podIPs: [{ ip: podIP }],
    startTime: now,
    containerStatuses: containersOf(spec).map((c) => ({
      name: c["name"],
      image: c["image"],
      imageID: "",
      ready: true,
      started: true,
      restartCount: 0,
      state: { running: { startedAt: now } },
    })),
    qosClass: "BestEffort",
  };
}

/** podStrategy binds every pod to the one node and runs it at once: an IP from the pod range, Running and Ready. */
export const podStrategy: Strategy = plainStrategy({
  statusSubresource: true,
  async prepareCreate(object: KubeObject, context: StrategyContext) {
    if (!isJsonObject(object["spec"])) object["spec"] = {};
    const spec = object["spec"] as JsonObject;
    defaultSpec(spec);
    const ip = context.podIPs.pick();
    if (ip === undefined) throw new ApiError(500, "InternalError", `Internal error occurred: the pod range ${context.podRange.text} is full`);
    object["status"] = runningStatus(spec, ip);
    return { claim: [POD_IP_CLAIMS + ip] };
  },
  prepareUpdate(object: KubeObject, old: KubeObject) {
    if (isJsonObject(object["spec"])) defaultSpec(object["spec"]);
    object["status"] = old["status"];
    return {};
  },
  validate(object: KubeObject) {
    return validatePodSpec(isJsonObject(object["spec"]) ? object["spec"] : {}, "spec");
  },
  releases(object: KubeObject) {
    const status = isJsonObject(object["status"]) ? object["status"] : {};
    return typeof status["podIP"] === "string" ? [POD_IP_CLAIMS + status["podIP"]] : [];
  },
});
