/** Resource describes one served resource: where it lives in the URL space and in etcd. */
export interface Resource {
  /** Plural name, as in URLs and etcd keys: `services`. */
  readonly name: string;
  readonly singularName: string;
  readonly kind: string;
  readonly listKind: string;
  /** API group; "" is the core group served under /api. */
  readonly group: string;
  readonly version: string;
  readonly namespaced: boolean;
  readonly shortNames: readonly string[];
  /** Subresources served beside the resource: `status`, `scale`. */
  readonly subresources: readonly string[];
  /** Whether kubectl's `all` category (`kubectl get all`) includes the resource. */
  readonly inAllCategory: boolean;
}

/** VERBS is what every served resource supports, as discovery reports it. */
export const VERBS = ["create", "delete", "get", "list", "patch", "update", "watch"] as const;

/** RESOURCES is every resource this server serves, in discovery order. */
export const RESOURCES: readonly Resource[] = [
  served("", "namespaces", "Namespace", { namespaced: false, shortNames: ["ns"], subresources: ["status"] }),
  served("", "services", "Service", { shortNames: ["svc"], subresources: ["status"], inAllCategory: true }),
  served("", "endpoints", "Endpoints", { shortNames: ["ep"] }),
  served("", "configmaps", "ConfigMap", { shortNames: ["cm"] }),
  served("", "pods", "Pod", { shortNames: ["po"], subresources: ["status"], inAllCategory: true }),
  served("", "replicationcontrollers", "ReplicationController", { shortNames: ["rc"], subresources: ["status", "scale"], inAllCategory: true }),
  served("apps", "deployments", "Deployment", { shortNames: ["deploy"], subresources: ["status", "scale"], inAllCategory: true }),
  served("discovery.k8s.io", "endpointslices", "EndpointSlice"),
];

function served(group: string, name: string, kind: string, options: Partial<Pick<Resource, "namespaced" | "shortNames" | "subresources" | "inAllCategory">> = {}): Resource {
  return {
    name,
    singularName: kind.toLowerCase(),
    kind,
    listKind: `${kind}List`,
    group,
    version: "v1",
    namespaced: options.namespaced ?? true,
    shortNames: options.shortNames ?? [],
    subresources: options.subresources ?? [],
    inAllCategory: options.inAllCategory ?? false,
  };
}

/** apiVersionOf is the apiVersion field of a resource's objects: `v1`, `discovery.k8s.io/v1`. */
export function apiVersionOf(resource: Resource): string {
  return resource.group === "" ? resource.version : `${resource.group}/${resource.version}`;
}

/** findResource looks a resource up by group, version and plural name. */
export function findResource(group: string, version: string, name: string): Resource | undefined {
  return RESOURCES.find((r) => r.group === group && r.version === version && r.name === name);
}

/** resourceByKind finds the resource that stores objects of a kind. */
export function resourceByKind(kind: string): Resource {
  const found = RESOURCES.find((r) => r.kind === kind);
  if (found === undefined) throw new Error(`no resource serves kind ${kind}`);
  return found;
}

/** REGISTRY_PREFIX is the etcd prefix under which every object lives, as in kube-apiserver. */
export const REGISTRY_PREFIX = "/registry/";

/** keyFor is an object's etcd key: `/registry/<resource>/<namespace>/<name>` (no namespace when cluster-scoped). */
export function keyFor(resource: Resource, namespace: string | undefined, name: string): string {
  return resource.namespaced ? `${REGISTRY_PREFIX}${resource.name}/${namespace ?? ""}/${name}` : `${REGISTRY_PREFIX}${resource.name}/${name}`;
}

/** prefixFor is the etcd prefix of a list: one namespace, or every namespace when namespace is undefined. */
export function prefixFor(resource: Resource, namespace: string | undefined): string {
  return namespace !== undefined && resource.namespaced ? `${REGISTRY_PREFIX}${resource.name}/${namespace}/` : `${REGISTRY_PREFIX}${resource.name}/`;
}
