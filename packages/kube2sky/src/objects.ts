import type { V1EndpointSlice, V1Endpoints, V1Pod, V1Service } from "@kubernetes/client-node";

/** Port is one named or unnamed port of a service or an endpoint group. */
export interface Port {
  readonly name: string;
  /** As the API spells it: TCP, UDP or SCTP. */
  readonly protocol: string;
  readonly port: number;
}

/** Service is the slim form of a v1 Service: only what the DNS records depend on. */
export interface Service {
  readonly namespace: string;
  readonly name: string;
  readonly type: string;
  /** spec.clusterIPs (or spec.clusterIP): empty for ExternalName, ["None"] for a headless service. */
  readonly clusterIPs: readonly string[];
  readonly externalName: string;
  readonly ports: readonly Port[];
  /** spec.publishNotReadyAddresses, or the older tolerate-unready-endpoints annotation. */
  readonly publishNotReadyAddresses: boolean;
}

/** Endpoint is one backend: its addresses (one family), readiness and optional hostname. */
export interface Endpoint {
  readonly addresses: readonly string[];
  readonly ready: boolean;
  readonly hostname: string;
}

/**
 * EndpointGroup is one EndpointSlice, or one subset of a v1 Endpoints object: endpoints that share a port list.
 * `source` names the object it came from (`slice/<ns>/<name>` or `endpoints/<ns>/<name>`).
 */
export interface EndpointGroup {
  readonly namespace: string;
  readonly serviceName: string;
  readonly source: string;
  readonly endpoints: readonly Endpoint[];
  readonly ports: readonly Port[];
}

/** Pod is the slim form of a v1 Pod: where it lives and its IPs. */
export interface Pod {
  readonly namespace: string;
  readonly name: string;
  readonly ips: readonly string[];
}

/** The label that ties an EndpointSlice to its service (discovery.k8s.io/v1). */
export const SERVICE_NAME_LABEL = "kubernetes.io/service-name";
/** v1.2's headless hostname annotation on Endpoints: JSON map IP -> {"HostName": "..."}. */
export const HOSTNAMES_MAP_ANNOTATION = "endpoints.beta.kubernetes.io/hostnames-map";
const TOLERATE_UNREADY_ANNOTATION = "service.alpha.kubernetes.io/tolerate-unready-endpoints";

/** toService converts an API Service into the slim type. */
export function toService(raw: V1Service): Service {
  const spec = raw.spec ?? {};
  const clusterIPs = spec.clusterIPs?.length ? spec.clusterIPs : spec.clusterIP ? [spec.clusterIP] : [];
  return {
    namespace: raw.metadata?.namespace ?? "",
    name: raw.metadata?.name ?? "",
    type: spec.type ?? "ClusterIP",
    clusterIPs: [...clusterIPs],
    externalName: spec.externalName ?? "",
    ports: (spec.ports ?? []).map((p) => ({ name: p.name ?? "", protocol: p.protocol ?? "TCP", port: p.port })),
    publishNotReadyAddresses:
      spec.publishNotReadyAddresses === true || raw.metadata?.annotations?.[TOLERATE_UNREADY_ANNOTATION] === "true",
  };
}

/** toEndpointGroupFromSlice converts an EndpointSlice; FQDN slices carry no addresses we can serve and give none. */
export function toEndpointGroupFromSlice(raw: V1EndpointSlice): EndpointGroup[] {
  const namespace = raw.metadata?.namespace ?? "";
  const serviceName = raw.metadata?.labels?.[SERVICE_NAME_LABEL];
  if (serviceName === undefined || raw.addressType === "FQDN") return [];
  return [
    {
      namespace,
      serviceName,
      source: `slice/${namespace}/${raw.metadata?.name ?? ""}`,
      // A nil ready condition means ready (discovery.k8s.io/v1 EndpointConditions).
      endpoints: (raw.endpoints ?? []).map((e) => ({
        addresses: [...e.addresses],
        ready: e.conditions?.ready !== false,
        hostname: e.hostname ?? "",
      })),
      ports: (raw.ports ?? []).map((p) => ({ name: p.name ?? "", protocol: p.protocol ?? "TCP", port: p.port ?? 0 })),
    },
  ];
}

/**
 * toEndpointGroupsFromEndpoints converts a v1 Endpoints object, one group per subset. A hostname comes from the
 * address itself, else from v1.2's hostnames-map annotation; an annotation that is not valid JSON is ignored and
 * reported through onBadAnnotation (v1.2 retried it until the process died).
 */
export function toEndpointGroupsFromEndpoints(raw: V1Endpoints, onBadAnnotation?: (reason: string) => void): EndpointGroup[] {
  const namespace = raw.metadata?.namespace ?? "";
  const name = raw.metadata?.name ?? "";
  const hostnames = hostnamesMap(raw.metadata?.annotations?.[HOSTNAMES_MAP_ANNOTATION], onBadAnnotation);
  return (raw.subsets ?? []).map((subset) => {
    const toEndpoint = (ready: boolean) => (a: { ip: string; hostname?: string }) => ({
      addresses: [a.ip],
      ready,
      hostname: a.hostname ?? hostnames.get(a.ip) ?? "",
    });
    return {
      namespace,
      serviceName: name,
      source: `endpoints/${namespace}/${name}`,
      endpoints: [...(subset.addresses ?? []).map(toEndpoint(true)), ...(subset.notReadyAddresses ?? []).map(toEndpoint(false))],
      ports: (subset.ports ?? []).map((p) => ({ name: p.name ?? "", protocol: p.protocol ?? "TCP", port: p.port })),
    };
  });
}

function hostnamesMap(annotation: string | undefined, onBad?: (reason: string) => void): Map<string, string> {
  const result = new Map<string, string>();
  if (annotation === undefined) return result;
  let parsed: unknown;
  try {
    parsed = JSON.parse(annotation);
  } catch (error) {
    onBad?.(`annotation ${HOSTNAMES_MAP_ANNOTATION} is not JSON: ${(error as Error).message}`);
    return result;
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
    onBad?.(`annotation ${HOSTNAMES_MAP_ANNOTATION} is not a JSON object`);
    return result;
  }
  for (const [ip, entry] of Object.entries(parsed as Record<string, unknown>)) {
    const hostname = (entry as { HostName?: unknown } | null)?.HostName;
    if (typeof hostname === "string") result.set(ip, hostname);
  }
  return result;
}

/** toPod converts an API Pod: status.podIPs, else status.podIP; a pod without an IP yet has none. */
export function toPod(raw: V1Pod): Pod {
  const status = raw.status ?? {};
  const ips = status.podIPs?.length ? status.podIPs.map((p) => p.ip) : status.podIP ? [status.podIP] : [];
  return { namespace: raw.metadata?.namespace ?? "", name: raw.metadata?.name ?? "", ips };
}
