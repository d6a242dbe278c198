import { inUsableRange } from "../../addresses/cidr.js";
import { ApiError, invalid, type FieldError } from "../../api/status.js";
import { plainStrategy, type Strategy, type StrategyContext } from "./strategy.js";
import { isJsonObject, type JsonObject, type KubeObject } from "../../api/types.js";

/** SERVICE_IP_CLAIMS is the etcd prefix holding one key per allocated cluster IP. */
export const SERVICE_IP_CLAIMS = "/registry/ranges/serviceips/";

function spec(object: KubeObject): JsonObject {
  if (!isJsonObject(object["spec"])) object["spec"] = {};
  return object["spec"] as JsonObject;
}

function clusterIPOf(object: KubeObject): string {
  const value = spec(object)["clusterIP"];
  return typeof value === "string" ? value : "";
}

function needsAddress(ip: string): boolean {
  return ip !== "" && ip !== "None";
}

function setClusterIP(s: JsonObject, ip: string): void {
  s["clusterIP"] = ip;
  s["clusterIPs"] = [ip];
}

/** defaultPorts fills protocol TCP and targetPort = port, as the v1 defaulting does. */
function defaultPorts(s: JsonObject): void {
  if (!Array.isArray(s["ports"])) return;
  for (const port of s["ports"] as unknown[]) {
    if (!isJsonObject(port)) continue;
    port["protocol"] ??= "TCP";
    if (port["targetPort"] === undefined || port["targetPort"] === 0 || port["targetPort"] === "") port["targetPort"] = port["port"];
  }
}

function defaults(object: KubeObject): void {
  const s = spec(object);
  s["type"] ??= "ClusterIP";
  if (s["type"] !== "ExternalName") {
    s["sessionAffinity"] ??= "None";
    s["ipFamilies"] ??= ["IPv4"];
    s["ipFamilyPolicy"] ??= "SingleStack";
    s["internalTrafficPolicy"] ??= "Cluster";
  }
  if (typeof s["clusterIP"] !== "string" && Array.isArray(s["clusterIPs"]) && typeof s["clusterIPs"][0] === "string") s["clusterIP"] = s["clusterIPs"][0];
  defaultPorts(s);
  object["status"] = { loadBalancer: {} };
}

function validatePorts(s: JsonObject, errors: FieldError[]): void {
  const ports = Array.isArray(s["ports"]) ? (s["ports"] as unknown[]) : [];
  const names = new Set<string>();
  ports.forEach((port, i) => {
    const field = `spec.ports[${i}]`;
    if (!isJsonObject(port)) return errors.push({ field, message: "Invalid value: must be an object" });
    const number = port["port"];
    if (typeof number !== "number" || !Number.isInteger(number) || number < 1 || number > 65535) {
      errors.push({ field: `${field}.port`, message: `Invalid value: ${JSON.stringify(number)}: must be between 1 and 65535, inclusive` });
    }
    if (!["TCP", "UDP", "SCTP"].includes(String(port["protocol"]))) {
      errors.push({ field: `${field}.protocol`, message: `Unsupported value: ${JSON.stringify(port["protocol"])}: supported values: "SCTP", "TCP", "UDP"`, reason: "FieldValueNotSupported" });
    }
    const name = typeof port["name"] === "string" ? port["name"] : "";
    if (ports.length > 1 && name === "") errors.push({ field: `${field}.name`, message: "Required value", reason: "FieldValueRequired" });
    if (name !== "" && names.has(name)) errors.push({ field: `${field}.name`, message: `Duplicate value: "${name}"`, reason: "FieldValueDuplicate" });
    names.add(name);
  });
  if (ports.length === 0 && s["type"] !== "ExternalName" && s["clusterIP"] !== "None") {
    errors.push({ field: "spec.ports", message: "Required value", reason: "FieldValueRequired" });
  }
}

/** serviceStrategy allocates cluster IPs from the service range and validates services like v1.2+ does. */
export const serviceStrategy: Strategy = plainStrategy({
  nameRule: "dns1035-label",
  statusSubresource: true,
  async prepareCreate(object: KubeObject, context: StrategyContext) {
    defaults(object);
    const s = spec(object);
    if (s["type"] === "ExternalName") return {};
    const requested = clusterIPOf(object);
    if (requested === "None") {
      setClusterIP(s, "None");
      return {};
    }
    if (requested !== "") {
      setClusterIP(s, requested);
      return { claim: [SERVICE_IP_CLAIMS + requested] };
    }
    const free = context.serviceIPs.pick();
    if (free === undefined) throw new ApiError(500, "InternalError", `Internal error occurred: failed to allocate a serviceIP: range is full (${context.serviceRange.text})`);
    setClusterIP(s, free);
    return { claim: [SERVICE_IP_CLAIMS + free] };
  },
  prepareUpdate(object: KubeObject, old: KubeObject) {
    const s = spec(object);
    const oldIP = clusterIPOf(old);
    // An update that leaves the allocated fields out keeps them, as the v1 update strategy does.
    if (clusterIPOf(object) === "" && oldIP !== "" && s["type"] !== "ExternalName") setClusterIP(s, oldIP);
    defaultPorts(s);
    object["status"] = old["status"];
    if (s["type"] === "ExternalName") {
      delete s["clusterIP"];
      delete s["clusterIPs"];
      return needsAddress(oldIP) ? { release: [SERVICE_IP_CLAIMS + oldIP] } : {};
    }
    const newIP = clusterIPOf(object);
    if (newIP !== oldIP) {
      const message = oldIP === "" ? "changing an ExternalName service to another type is not supported here; delete and create it" : "field is immutable";
      throw invalid({ resource: "services", group: "", kind: "Service", name: old.metadata.name ?? "" }, [{ field: "spec.clusterIPs[0]", message: `Invalid value: "${newIP}": ${message}` }]);
    }
    return {};
  },
  validate(object: KubeObject, context: StrategyContext) {
    const s = spec(object);
    const errors: FieldError[] = [];
    const ip = clusterIPOf(object);
    if (s["type"] === "ExternalName") {
      if (typeof s["externalName"] !== "string" || s["externalName"] === "") errors.push({ field: "spec.externalName", message: "Required value", reason: "FieldValueRequired" });
      if (ip !== "") errors.push({ field: "spec.clusterIPs", message: "Invalid value: must be empty for ExternalName services" });
    } else if (!["ClusterIP", "NodePort", "LoadBalancer"].includes(String(s["type"]))) {
      errors.push({ field: "spec.type", message: `Unsupported value: ${JSON.stringify(s["type"])}`, reason: "FieldValueNotSupported" });
    } else if (needsAddress(ip) && !inUsableRange(context.serviceRange, ip)) {
      errors.push({ field: "spec.clusterIPs", message: `Invalid value: ["${ip}"]: failed to allocate IP ${ip}: provided IP is not in the valid range. The range of valid IPs is ${context.serviceRange.text}` });
    }
    if (s["selector"] !== undefined && !isJsonObject(s["selector"])) errors.push({ field: "spec.selector", message: "Invalid value: must be a map of labels" });
    validatePorts(s, errors);
    return errors;
  },
  releases(object: KubeObject) {
    const ip = clusterIPOf(object);
    return needsAddress(ip) ? [SERVICE_IP_CLAIMS + ip] : [];
  },
  claimError(requested: KubeObject) {
    const ip = clusterIPOf(requested);
    if (!needsAddress(ip)) return undefined;
    const object = requested;
    return new ApiError(422, "Invalid", `Service "${object.metadata.name ?? ""}" is invalid: spec.clusterIPs: Invalid value: ["${ip}"]: failed to allocate IP ${ip}: provided IP is already allocated`, {
      name: object.metadata.name ?? "",
      kind: "Service",
      causes: [{ reason: "FieldValueInvalid", message: `Invalid value: ["${ip}"]: failed to allocate IP ${ip}: provided IP is already allocated`, field: "spec.clusterIPs" }],
    });
  },
});
