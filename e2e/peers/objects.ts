import type { KubeObject } from "@kube-dns/dev-apiserver";
import { addressRecord, encodeRecord, recordIdFor } from "@kube-dns/msg";

// API objects as kube-apiserver would hold them, for the peers' fixtures. Protocols are the API's (TCP, UDP), where
// CoreDNS's mocks write them lowercase.

/** Port is a service or endpoint port: name, protocol, number. */
export type Port = readonly [name: string, protocol: "TCP" | "UDP", port: number];

/** service is a v1 Service: ClusterIP with its cluster IPs, headless with ["None"], or ExternalName with a target. */
export function service(namespace: string, name: string, spec: { clusterIPs?: readonly string[]; externalName?: string; ports?: readonly Port[]; annotations?: Record<string, string> }): KubeObject {
  const ports = (spec.ports ?? []).map(([portName, protocol, port]) => ({ name: portName, protocol, port, targetPort: port }));
  const common = { apiVersion: "v1", kind: "Service", metadata: { namespace, name, ...(spec.annotations ? { annotations: spec.annotations } : {}) } };
  if (spec.externalName !== undefined) return { ...common, spec: { type: "ExternalName", externalName: spec.externalName, ports } };
  const clusterIPs = [...(spec.clusterIPs ?? [])];
  return { ...common, spec: { type: "ClusterIP", clusterIP: clusterIPs[0], clusterIPs, ports } };
}

/** Endpoint is one endpoint of a slice: its address, and optionally its hostname and readiness (ready when omitted). */
export interface Endpoint {
  readonly ip: string;
  readonly hostname?: string;
  readonly ready?: boolean;
}

/** slice is a discovery.k8s.io/v1 EndpointSlice of a service, one address family (from its first endpoint). */
export function slice(namespace: string, serviceName: string, name: string, endpoints: readonly Endpoint[], ports: readonly Port[]): KubeObject {
  return {
    apiVersion: "discovery.k8s.io/v1",
    kind: "EndpointSlice",
    metadata: { namespace, name, labels: { "kubernetes.io/service-name": serviceName } },
    addressType: endpoints[0]?.ip.includes(":") ? "IPv6" : "IPv4",
    endpoints: endpoints.map((e) => ({ addresses: [e.ip], conditions: { ready: e.ready ?? true }, ...(e.hostname ? { hostname: e.hostname } : {}) })),
    ports: ports.map(([portName, protocol, port]) => ({ name: portName, protocol, port })),
  };
}

/** pod is a running v1 Pod holding one IP. */
export function pod(namespace: string, name: string, ip: string): KubeObject {
  return {
    apiVersion: "v1",
    kind: "Pod",
    metadata: { namespace, name },
    spec: { containers: [{ name: "main", image: "registry.example.org/main" }], nodeName: "dev-node" },
    status: { phase: "Running", podIP: ip, podIPs: [{ ip }] },
  };
}

/**
 * idOf is kube-dns's system-assigned identifier of an endpoint without a hostname (spec 2.1): v1.2's FNV-1a id of the
 * endpoint's A record, the label its A, SRV and PTR records carry.
 */
export function idOf(ip: string): string {
  return recordIdFor(encodeRecord(addressRecord(ip)));
}
