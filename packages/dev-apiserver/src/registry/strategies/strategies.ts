import { configMapStrategy } from "./config-map-strategy.js";
import { deploymentStrategy } from "./deployment-strategy.js";
import { podStrategy } from "./pod-strategy.js";
import { replicationControllerStrategy } from "./replication-controller-strategy.js";
import type { Resource } from "../../api/resources.js";
import { serviceStrategy } from "./service-strategy.js";
import { plainStrategy, type Strategy } from "./strategy.js";
import { isJsonObject, type KubeObject } from "../../api/types.js";

const namespaceStrategy = plainStrategy({
  nameRule: "dns1123-label",
  statusSubresource: true,
  prepareCreate(object: KubeObject) {
    object["spec"] = { finalizers: ["kubernetes"] };
    object["status"] = { phase: "Active" };
    object.metadata.labels = { ...object.metadata.labels, "kubernetes.io/metadata.name": object.metadata.name ?? "" };
    return Promise.resolve({});
  },
  prepareUpdate(object: KubeObject, old: KubeObject) {
    object["status"] = old["status"];
    object["spec"] = old["spec"];
    return {};
  },
});

const endpointSliceStrategy = plainStrategy({
  tracksGeneration: true,
  validate(object: KubeObject) {
    const type = object["addressType"];
    if (type === "IPv4" || type === "IPv6" || type === "FQDN") return [];
    return [{ field: "addressType", message: `Unsupported value: ${JSON.stringify(type)}: supported values: "FQDN", "IPv4", "IPv6"`, reason: "FieldValueNotSupported" }];
  },
  prepareUpdate(object: KubeObject, old: KubeObject) {
    if (object["addressType"] !== old["addressType"]) object["addressType"] = old["addressType"];
    return {};
  },
});

const endpointsStrategy = plainStrategy({
  validate(object: KubeObject) {
    const subsets = object["subsets"];
    if (subsets === undefined || subsets === null || (Array.isArray(subsets) && subsets.every(isJsonObject))) return [];
    return [{ field: "subsets", message: "Invalid value: must be a list of subsets" }];
  },
});

const BY_RESOURCE: Readonly<Record<string, Strategy>> = {
  namespaces: namespaceStrategy,
  services: serviceStrategy,
  pods: podStrategy,
  endpoints: endpointsStrategy,
  configmaps: configMapStrategy,
  endpointslices: endpointSliceStrategy,
  replicationcontrollers: replicationControllerStrategy,
  deployments: deploymentStrategy,
};

/** strategyFor returns the write strategy of a served resource. */
export function strategyFor(resource: Resource): Strategy {
  return BY_RESOURCE[resource.name] ?? plainStrategy();
}
