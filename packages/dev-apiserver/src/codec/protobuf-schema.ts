import type { FieldSpec, Schema } from "./protobuf.js";

// The protobuf field numbers (k8s.io/api generated.proto) of what `kubectl create deployment` sends, which is
// the one kubectl command here that writes a served kind in protobuf only. Fields left out of this table are
// skipped when zero and refused (415) when set; status and the server-set metadata are ignored.

const s = (name: string, extra: Partial<FieldSpec> = {}): FieldSpec => ({ name, type: "string", ...extra });
const i = (name: string, extra: Partial<FieldSpec> = {}): FieldSpec => ({ name, type: "int", ...extra });
const b = (name: string, extra: Partial<FieldSpec> = {}): FieldSpec => ({ name, type: "bool", ...extra });
const m = (name: string, message: string, extra: Partial<FieldSpec> = {}): FieldSpec => ({ name, type: { message }, ...extra });
const ignored = (name: string): FieldSpec => ({ name, type: "string", ignored: true });

/** PROTOBUF_SCHEMA describes apps/v1 Deployment and the messages it holds. */
export const PROTOBUF_SCHEMA: Schema = {
  "apps/v1/Deployment": { 1: m("metadata", "ObjectMeta"), 2: m("spec", "DeploymentSpec"), 3: ignored("status") },
  ObjectMeta: {
    1: s("name"),
    2: s("generateName"),
    3: s("namespace"),
    4: ignored("selfLink"),
    5: s("uid"),
    6: s("resourceVersion"),
    7: ignored("generation"),
    8: ignored("creationTimestamp"),
    9: ignored("deletionTimestamp"),
    10: ignored("deletionGracePeriodSeconds"),
    11: { name: "labels", type: { map: "string" } },
    12: { name: "annotations", type: { map: "string" } },
    13: m("ownerReferences", "OwnerReference", { repeated: true }),
    14: s("finalizers", { repeated: true }),
    17: ignored("managedFields"),
  },
  OwnerReference: { 1: s("kind"), 3: s("name"), 4: s("uid"), 5: s("apiVersion"), 6: b("controller", { pointer: true }), 7: b("blockOwnerDeletion", { pointer: true }) },
  DeploymentSpec: {
    1: i("replicas", { pointer: true }),
    2: m("selector", "LabelSelector", { pointer: true }),
    3: m("template", "PodTemplateSpec"),
    4: m("strategy", "DeploymentStrategy"),
    5: i("minReadySeconds"),
    6: i("revisionHistoryLimit", { pointer: true }),
    7: b("paused"),
    9: i("progressDeadlineSeconds", { pointer: true }),
  },
  DeploymentStrategy: { 1: s("type"), 2: m("rollingUpdate", "RollingUpdateDeployment", { pointer: true }) },
  RollingUpdateDeployment: { 1: { name: "maxUnavailable", type: "intOrString", pointer: true }, 2: { name: "maxSurge", type: "intOrString", pointer: true } },
  LabelSelector: { 1: { name: "matchLabels", type: { map: "string" } }, 2: m("matchExpressions", "LabelSelectorRequirement", { repeated: true }) },
  LabelSelectorRequirement: { 1: s("key"), 2: s("operator"), 3: s("values", { repeated: true }) },
  PodTemplateSpec: { 1: m("metadata", "ObjectMeta"), 2: m("spec", "PodSpec") },
  PodSpec: {
    2: m("containers", "Container", { repeated: true }),
    3: s("restartPolicy"),
    4: i("terminationGracePeriodSeconds", { pointer: true }),
    5: i("activeDeadlineSeconds", { pointer: true }),
    6: s("dnsPolicy"),
    7: { name: "nodeSelector", type: { map: "string" } },
    8: s("serviceAccountName"),
    9: s("serviceAccount"),
    10: s("nodeName"),
    11: b("hostNetwork"),
    12: b("hostPID"),
    13: b("hostIPC"),
    16: s("hostname"),
    17: s("subdomain"),
    19: s("schedulerName"),
    20: m("initContainers", "Container", { repeated: true }),
    24: s("priorityClassName"),
  },
  Container: {
    1: s("name"),
    2: s("image"),
    3: s("command", { repeated: true }),
    4: s("args", { repeated: true }),
    5: s("workingDir"),
    6: m("ports", "ContainerPort", { repeated: true }),
    7: m("env", "EnvVar", { repeated: true }),
    8: m("resources", "ResourceRequirements"),
    9: m("volumeMounts", "VolumeMount", { repeated: true }),
    13: s("terminationMessagePath"),
    14: s("imagePullPolicy"),
    16: b("stdin"),
    17: b("stdinOnce"),
    18: b("tty"),
    20: s("terminationMessagePolicy"),
  },
  ContainerPort: { 1: s("name"), 2: i("hostPort"), 3: i("containerPort"), 4: s("protocol"), 5: s("hostIP") },
  EnvVar: { 1: s("name"), 2: s("value") },
  ResourceRequirements: { 1: { name: "limits", type: { map: "quantity" } }, 2: { name: "requests", type: { map: "quantity" } } },
  VolumeMount: { 1: s("name"), 2: b("readOnly"), 3: s("mountPath"), 4: s("subPath") },
};
