import type { KubernetesObject, V1EndpointSlice, V1Endpoints, V1Pod, V1Service } from "@kubernetes/client-node";
import { toEndpointGroupFromSlice, toEndpointGroupsFromEndpoints, toPod, toService } from "./objects.js";
import type { ListFn } from "./pager.js";
import type { Kind } from "./reflector.js";
import type { Store } from "./store.js";

/** serviceKind keeps v1 Services in the store as slim Services. */
export function serviceKind(store: Store, list: ListFn): Kind {
  return {
    kind: "service",
    path: "/api/v1/services",
    list,
    upsert: (s) => store.setService(toService(s as V1Service)),
    remove: (key) => store.deleteService(...split(key)),
    held: () => store.serviceKeys(),
  };
}

/** endpointSliceKind keeps discovery.k8s.io/v1 EndpointSlices in the store as endpoint groups. */
export function endpointSliceKind(store: Store, list: ListFn): Kind {
  return {
    kind: "endpointslice",
    path: "/apis/discovery.k8s.io/v1/endpointslices",
    list,
    upsert: (s) => store.setGroups(sourceOf("slice", s), toEndpointGroupFromSlice(s as V1EndpointSlice)),
    remove: (key) => store.setGroups(`slice/${key}`, []),
    held: () => store.sourceKeys("slice"),
  };
}

/** endpointsKind keeps v1 Endpoints in the store as endpoint groups; onBadAnnotation hears of a hostnames-map it ignored. */
export function endpointsKind(store: Store, list: ListFn, onBadAnnotation: (source: string, reason: string) => void): Kind {
  return {
    kind: "endpoints",
    path: "/api/v1/endpoints",
    list,
    upsert: (e) => {
      const source = sourceOf("endpoints", e);
      return store.setGroups(source, toEndpointGroupsFromEndpoints(e as V1Endpoints, (reason) => onBadAnnotation(source, reason)));
    },
    // v1.2 had no Endpoints delete handler (README, Bugs); here a deletion removes the records.
    remove: (key) => store.setGroups(`endpoints/${key}`, []),
    held: () => store.sourceKeys("endpoints"),
  };
}

/**
 * POD_FIELD_SELECTOR leaves out pods that have finished (Succeeded, Failed) or are lost (Unknown): their IPs go back to
 * the node for new pods, so a record for them would name someone else; a pod that leaves this set reaches the watch as
 * a deletion. The same selector as CoreDNS's pod informer (plugin/kubernetes/controller.go); kube-apiserver selects
 * pods on status.phase, but not on "has an IP" (a pending pod without one simply has no record).
 */
export const POD_FIELD_SELECTOR = "status.phase!=Succeeded,status.phase!=Failed,status.phase!=Unknown";

/** podKind keeps v1 Pods that may run (POD_FIELD_SELECTOR) in the store as slim Pods: namespace, name and IPs. */
export function podKind(store: Store, list: ListFn): Kind {
  return {
    kind: "pod",
    path: "/api/v1/pods",
    fieldSelector: POD_FIELD_SELECTOR,
    list,
    upsert: (p) => store.setPod(toPod(p as V1Pod)),
    remove: (key) => store.deletePod(...split(key)),
    held: () => store.podKeys(),
  };
}

function sourceOf(kindName: string, obj: KubernetesObject): string {
  return `${kindName}/${obj.metadata?.namespace ?? ""}/${obj.metadata?.name ?? ""}`;
}

// split turns `namespace/name` into its parts; neither may contain a slash.
function split(key: string): [namespace: string, name: string] {
  const slash = key.indexOf("/");
  return [key.slice(0, slash), key.slice(slash + 1)];
}
