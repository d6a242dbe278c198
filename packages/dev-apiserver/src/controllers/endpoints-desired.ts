import { createHash } from "node:crypto";
import { matchesLabels, selectorFromMap } from "../api/selectors.js";
import { isJsonObject, type JsonObject, type KubeObject, type ObjectMeta } from "../api/types.js";

/** MANAGED_BY marks the EndpointSlices this controller owns, as kube-controller-manager's does. */
export const MANAGED_BY = "endpointslice-controller.k8s.io";
/** SERVICE_NAME_LABEL ties an EndpointSlice to its service. */
export const SERVICE_NAME_LABEL = "kubernetes.io/service-name";
const MANAGED_BY_LABEL = "endpointslice.kubernetes.io/managed-by";
const HEADLESS_LABEL = "service.kubernetes.io/headless";

/** Desired is the Endpoints object and the EndpointSlices a selector service should have. */
export interface Desired {
  readonly endpoints: KubeObject;
  readonly slices: KubeObject[];
}

interface EndpointPort {
  name: string;
  port: number;
  protocol: string;
}

interface Member {
  ip: string;
  ready: boolean;
  hostname?: string;
  nodeName?: string;
  targetRef: JsonObject;
}

const field = (object: unknown, name: string): unknown => (isJsonObject(object) ? object[name] : undefined);
const list = (value: unknown): JsonObject[] => (Array.isArray(value) ? value.filter(isJsonObject) : []);
const text = (value: unknown): string => (typeof value === "string" ? value : "");

/** selectorOf is a service's pod selector, or undefined when the controller leaves the service alone. */
export function selectorOf(service: KubeObject): Record<string, string> | undefined {
  const spec = service["spec"];
  const selector = field(spec, "selector");
  if (field(spec, "type") === "ExternalName" || !isJsonObject(selector) || Object.keys(selector).length === 0) return undefined;
  return selector as Record<string, string>;
}

function isReady(pod: KubeObject): boolean {
  return list(field(pod["status"], "conditions")).some((c) => c["type"] === "Ready" && c["status"] === "True");
}

/** resolvePorts maps each service port to the pod's port: a number as is, a name through the containers' ports. */
function resolvePorts(service: KubeObject, pod: KubeObject): EndpointPort[] {
  const containerPorts = list(field(pod["spec"], "containers")).flatMap((c) => list(c["ports"]));
  return list(field(service["spec"], "ports")).flatMap((port): EndpointPort[] => {
    const protocol = text(port["protocol"]) || "TCP";
    const target = port["targetPort"] ?? port["port"];
    const number = typeof target === "number" ? target : containerPorts.find((c) => c["name"] === target && (text(c["protocol"]) || "TCP") === protocol)?.["containerPort"];
    return typeof number === "number" ? [{ name: text(port["name"]), port: number, protocol }] : [];
  });
}

function member(service: KubeObject, pod: KubeObject, ready: boolean): Member {
  const meta = pod.metadata;
  const spec = pod["spec"];
  const result: Member = { ip: text(field(pod["status"], "podIP")), ready, targetRef: { kind: "Pod", namespace: meta.namespace, name: meta.name, uid: meta.uid } };
  // A pod is named in DNS under a service only when its subdomain is that service (the DNS spec's hostname rule).
  const hostname = text(field(spec, "hostname"));
  if (hostname !== "" && field(spec, "subdomain") === service.metadata.name) result.hostname = hostname;
  const nodeName = text(field(spec, "nodeName"));
  if (nodeName !== "") result.nodeName = nodeName;
  return result;
}

function shortHash(value: string): string {
  return createHash("sha256").update(value).digest("hex").slice(0, 5);
}

function baseLabels(service: KubeObject): Record<string, string> {
  const labels: Record<string, string> = { ...service.metadata.labels };
  if (field(service["spec"], "clusterIP") === "None") labels[HEADLESS_LABEL] = "";
  return labels;
}

function endpointAddress(m: Member): JsonObject {
  const address: JsonObject = { ip: m.ip };
  if (m.hostname !== undefined) address["hostname"] = m.hostname;
  if (m.nodeName !== undefined) address["nodeName"] = m.nodeName;
  address["targetRef"] = m.targetRef;
  return address;
}

function sliceEndpoint(m: Member): JsonObject {
  const endpoint: JsonObject = { addresses: [m.ip], conditions: { ready: m.ready, serving: m.ready, terminating: false } };
  if (m.hostname !== undefined) endpoint["hostname"] = m.hostname;
  endpoint["targetRef"] = m.targetRef;
  if (m.nodeName !== undefined) endpoint["nodeName"] = m.nodeName;
  return endpoint;
}

function slice(service: KubeObject, ports: EndpointPort[], members: Member[]): KubeObject {
  const name = service.metadata.name ?? "";
  const metadata: ObjectMeta = {
    name: `${name.slice(0, 57)}-${shortHash(JSON.stringify(ports))}`,
    namespace: service.metadata.namespace,
    labels: { ...baseLabels(service), [SERVICE_NAME_LABEL]: name, [MANAGED_BY_LABEL]: MANAGED_BY },
    ownerReferences: [{ apiVersion: "v1", kind: "Service", name, uid: service.metadata.uid ?? "", controller: true, blockOwnerDeletion: true }],
  };
  return { apiVersion: "discovery.k8s.io/v1", kind: "EndpointSlice", metadata, addressType: "IPv4", endpoints: members.map(sliceEndpoint), ports };
}

/**
 * desiredEndpoints computes what the endpoints controllers keep for a selector service: pods in its namespace
 * that match the selector and have an IP, ready ones as addresses and the rest as notReadyAddresses, grouped
 * by their resolved ports (one subset and one EndpointSlice per port set). undefined for a service the
 * controllers leave alone (no selector, or ExternalName).
 */
export function desiredEndpoints(service: KubeObject, pods: readonly KubeObject[]): Desired | undefined {
  const selectorMap = selectorOf(service);
  if (selectorMap === undefined) return undefined;
  const selector = selectorFromMap(selectorMap);
  const publishNotReady = field(service["spec"], "publishNotReadyAddresses") === true;
  const groups = new Map<string, { ports: EndpointPort[]; members: Member[] }>();
  for (const pod of pods) {
    const phase = field(pod["status"], "phase");
    if (pod.metadata.namespace !== service.metadata.namespace || !matchesLabels(selector, pod.metadata.labels)) continue;
    if (text(field(pod["status"], "podIP")) === "" || pod.metadata.deletionTimestamp !== undefined || phase === "Succeeded" || phase === "Failed") continue;
    const ports = resolvePorts(service, pod);
    if (ports.length === 0 && list(field(service["spec"], "ports")).length > 0) continue;
    const key = JSON.stringify(ports);
    const group = groups.get(key) ?? { ports, members: [] };
    group.members.push(member(service, pod, publishNotReady || isReady(pod)));
    groups.set(key, group);
  }
  const sorted = [...groups.values()].sort((a, b) => JSON.stringify(a.ports).localeCompare(JSON.stringify(b.ports)));
  for (const group of sorted) group.members.sort((a, b) => a.ip.localeCompare(b.ip, "en", { numeric: true }));
  const subsets = sorted.map((group) => {
    const subset: JsonObject = {};
    const ready = group.members.filter((m) => m.ready).map(endpointAddress);
    const notReady = group.members.filter((m) => !m.ready).map(endpointAddress);
    if (ready.length > 0) subset["addresses"] = ready;
    if (notReady.length > 0) subset["notReadyAddresses"] = notReady;
    if (group.ports.length > 0) subset["ports"] = group.ports.map((p) => (p.name === "" ? { port: p.port, protocol: p.protocol } : p));
    return subset;
  });
  const endpointsMeta: ObjectMeta = { name: service.metadata.name, namespace: service.metadata.namespace, labels: baseLabels(service) };
  const endpoints: KubeObject = { apiVersion: "v1", kind: "Endpoints", metadata: endpointsMeta };
  if (subsets.length > 0) endpoints["subsets"] = subsets;
  const slices = sorted.length > 0 ? sorted.map((g) => slice(service, g.ports, g.members)) : [slice(service, [], [])];
  return { endpoints, slices };
}
