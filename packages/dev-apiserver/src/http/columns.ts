import { isJsonObject, type JsonObject, type KubeObject } from "../api/types.js";
import { desiredReplicas, selectorText, statusCount, templateContainers, type WorkloadKind } from "../api/workload.js";

/** Column is one column of kubectl's table, as kube-apiserver's printers define it. */
export interface Column {
  readonly name: string;
  readonly type: "string" | "integer" | "date";
  readonly format?: "name";
  /** 0 shows by default; 1 only with `-o wide`. */
  readonly priority: number;
  readonly cell: (object: KubeObject, now: number) => string | number;
}

const list = (value: unknown): JsonObject[] => (Array.isArray(value) ? value.filter(isJsonObject) : []);
const get = (object: unknown, ...path: string[]): unknown => path.reduce<unknown>((node, key) => (isJsonObject(node) ? node[key] : undefined), object);
const orNone = (text: string): string => (text === "" ? "<none>" : text);

/** humanAge writes an age the way kubectl does (`45s`, `3m10s`, `5h`, `12d`). */
export function humanAge(createdAt: string | undefined, now: number): string {
  if (createdAt === undefined) return "<unknown>";
  const seconds = Math.max(0, Math.floor((now - Date.parse(createdAt)) / 1000));
  if (seconds < 120) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 10) return seconds % 60 === 0 ? `${minutes}m` : `${minutes}m${seconds % 60}s`;
  if (minutes < 180) return `${minutes}m`;
  const hours = Math.floor(minutes / 60);
  if (hours < 8) return minutes % 60 === 0 ? `${hours}h` : `${hours}h${minutes % 60}m`;
  if (hours < 48) return `${hours}h`;
  return `${Math.floor(hours / 24)}d`;
}

const NAME: Column = { name: "Name", type: "string", format: "name", priority: 0, cell: (o) => o.metadata.name ?? "" };
const AGE: Column = { name: "Age", type: "string", priority: 0, cell: (o, now) => humanAge(o.metadata.creationTimestamp, now) };

// kube-apiserver's printer: `80/TCP`, with the node port as `80:30080/TCP` when there is one.
function servicePorts(o: KubeObject): string {
  const port = (p: JsonObject): string => (p["nodePort"] ? `${String(p["port"])}:${String(p["nodePort"])}` : String(p["port"]));
  return orNone(list(get(o, "spec", "ports")).map((p) => `${port(p)}/${String(p["protocol"] ?? "TCP")}`).join(","));
}

function endpointsList(o: KubeObject): string {
  const pairs = list(o["subsets"]).flatMap((s) => list(s["addresses"]).flatMap((a) => (list(s["ports"]).length > 0 ? list(s["ports"]).map((p) => `${String(a["ip"])}:${String(p["port"])}`) : [String(a["ip"])])));
  return orNone(pairs.length > 3 ? `${pairs.slice(0, 3).join(",")} + ${pairs.length - 3} more...` : pairs.join(","));
}

function readyContainers(o: KubeObject): string {
  const statuses = list(get(o, "status", "containerStatuses"));
  return `${statuses.filter((s) => s["ready"] === true).length}/${list(get(o, "spec", "containers")).length}`;
}

/** workloadWide are the `-o wide` columns of Deployments and ReplicationControllers: the template's containers and images, the selector. */
function workloadWide(kind: WorkloadKind): Column[] {
  return [
    { name: "Containers", type: "string", priority: 1, cell: (o) => templateContainers(o).map((c) => String(c["name"] ?? "")).join(",") },
    { name: "Images", type: "string", priority: 1, cell: (o) => templateContainers(o).map((c) => String(c["image"] ?? "")).join(",") },
    { name: "Selector", type: "string", priority: 1, cell: (o) => orNone(selectorText(kind, o)) },
  ];
}

/** COLUMNS are the table columns per resource, after kube-apiserver's printers. */
export const COLUMNS: Readonly<Record<string, readonly Column[]>> = {
  namespaces: [NAME, { name: "Status", type: "string", priority: 0, cell: (o) => String(get(o, "status", "phase") ?? "") }, AGE],
  services: [
    NAME,
    { name: "Type", type: "string", priority: 0, cell: (o) => String(get(o, "spec", "type") ?? "ClusterIP") },
    { name: "Cluster-IP", type: "string", priority: 0, cell: (o) => orNone(String(get(o, "spec", "clusterIP") ?? "")) },
    { name: "External-IP", type: "string", priority: 0, cell: (o) => orNone(String(get(o, "spec", "externalName") ?? "")) },
    { name: "Port(s)", type: "string", priority: 0, cell: servicePorts },
    AGE,
    { name: "Selector", type: "string", priority: 1, cell: (o) => orNone(Object.entries((get(o, "spec", "selector") ?? {}) as Record<string, string>).map(([k, v]) => `${k}=${v}`).join(",")) },
  ],
  endpoints: [NAME, { name: "Endpoints", type: "string", priority: 0, cell: endpointsList }, AGE],
  configmaps: [NAME, { name: "Data", type: "integer", priority: 0, cell: (o) => Object.keys(get(o, "data") ?? {}).length + Object.keys(get(o, "binaryData") ?? {}).length }, AGE],
  pods: [
    NAME,
    { name: "Ready", type: "string", priority: 0, cell: readyContainers },
    { name: "Status", type: "string", priority: 0, cell: (o) => String(get(o, "status", "phase") ?? "Pending") },
    { name: "Restarts", type: "string", priority: 0, cell: () => "0" },
    AGE,
    { name: "IP", type: "string", priority: 1, cell: (o) => orNone(String(get(o, "status", "podIP") ?? "")) },
    { name: "Node", type: "string", priority: 1, cell: (o) => orNone(String(get(o, "spec", "nodeName") ?? "")) },
  ],
  replicationcontrollers: [
    NAME,
    { name: "Desired", type: "integer", priority: 0, cell: (o) => desiredReplicas(o) },
    { name: "Current", type: "integer", priority: 0, cell: (o) => statusCount(o, "replicas") },
    { name: "Ready", type: "integer", priority: 0, cell: (o) => statusCount(o, "readyReplicas") },
    AGE,
    ...workloadWide("ReplicationController"),
  ],
  deployments: [
    NAME,
    { name: "Ready", type: "string", priority: 0, cell: (o) => `${statusCount(o, "readyReplicas")}/${desiredReplicas(o)}` },
    { name: "Up-to-date", type: "integer", priority: 0, cell: (o) => statusCount(o, "updatedReplicas") },
    { name: "Available", type: "integer", priority: 0, cell: (o) => statusCount(o, "availableReplicas") },
    AGE,
    ...workloadWide("Deployment"),
  ],
  endpointslices: [
    NAME,
    { name: "AddressType", type: "string", priority: 0, cell: (o) => String(o["addressType"] ?? "") },
    { name: "Ports", type: "string", priority: 0, cell: (o) => orNone(list(o["ports"]).map((p) => String(p["port"])).join(",")) },
    { name: "Endpoints", type: "string", priority: 0, cell: (o) => orNone(list(o["endpoints"]).flatMap((e) => (Array.isArray(e["addresses"]) ? (e["addresses"] as string[]) : [])).join(",")) },
    AGE,
  ],
};
