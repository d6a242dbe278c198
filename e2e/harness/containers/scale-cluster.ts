import { randomUUID } from "node:crypto";

/** ScaleSpec is the size of cluster the manifests' resources are measured at. */
export interface ScaleSpec {
  readonly services: number;
  readonly endpointsPerService: number;
  /** Every headlessEvery-th service is headless: its endpoints are its A records. */
  readonly headlessEvery: number;
  readonly namespaces: number;
}

/** CLAIMED_SCALE is what manifests/README.md states the resources hold: 10,000 services and 50,000 endpoints. */
export const CLAIMED_SCALE: ScaleSpec = { services: 10_000, endpointsPerService: 5, headlessEvery: 5, namespaces: 50 };

/** ScaleService is one service of the scale cluster: its cluster IP ("None" when headless) and its endpoints' IPs. */
export interface ScaleService {
  readonly namespace: string;
  readonly name: string;
  readonly clusterIP: string;
  readonly endpoints: readonly string[];
}

/** KeyValue is one etcd key of the API server's store and its JSON value. */
export interface KeyValue {
  readonly key: string;
  readonly value: string;
}

/**
 * scaleServices lays out spec's services: namespaces scale-0.., names svc-0.., one cluster IP each from free (the
 * addresses of the service range nobody has claimed, in order) unless headless, and endpointsPerService endpoint IPs
 * each, distinct, from 10.128.0.0/12 (data in records, never dialled). Throws when free runs out.
 */
export function scaleServices(spec: ScaleSpec, free: Iterator<string>): ScaleService[] {
  return Array.from({ length: spec.services }, (_, i) => {
    const headless = i % spec.headlessEvery === spec.headlessEvery - 1;
    let clusterIP = "None";
    if (!headless) {
      const next = free.next();
      if (next.done === true) throw new Error(`the service range has no free address for service ${i}`);
      clusterIP = next.value;
    }
    const endpoints = Array.from({ length: spec.endpointsPerService }, (_, e) => endpointIp(i * spec.endpointsPerService + e));
    return { namespace: `scale-${i % spec.namespaces}`, name: `svc-${i}`, clusterIP, endpoints };
  });
}

/**
 * freeServiceIps yields the addresses of 10.0.0.0/16 above its static band (the first 256, as kube-apiserver keeps
 * them for fixed cluster IPs) that claimed does not hold.
 */
export function* freeServiceIps(claimed: ReadonlySet<string>): Generator<string> {
  for (let n = 256; n < 65_535; n++) {
    const ip = `10.0.${n >> 8}.${n & 255}`;
    if (!claimed.has(ip)) yield ip;
  }
}

function endpointIp(n: number): string {
  return `10.${128 + ((n >> 16) & 15)}.${(n >> 8) & 255}.${n & 255}`;
}

/**
 * storedObjects are the keys the API server would have written for service, as it stores them: the Service, the
 * claim of its cluster IP, and one EndpointSlice of all its endpoints (ready, port http 80/TCP), labelled for the
 * service and managed by the suite, so the API server's own endpoints controller leaves it alone.
 */
export function storedObjects(service: ScaleService): KeyValue[] {
  const { namespace, name, clusterIP } = service;
  const created = new Date().toISOString();
  const serviceKey = `/registry/services/${namespace}/${name}`;
  const stored: KeyValue[] = [
    {
      key: serviceKey,
      value: JSON.stringify({
        apiVersion: "v1",
        kind: "Service",
        metadata: { name, namespace, uid: randomUUID(), creationTimestamp: created },
        spec: {
          ports: [{ name: "http", port: 80, protocol: "TCP", targetPort: 80 }],
          clusterIP,
          clusterIPs: [clusterIP],
          type: "ClusterIP",
          sessionAffinity: "None",
          ipFamilies: ["IPv4"],
          ipFamilyPolicy: "SingleStack",
        },
        status: { loadBalancer: {} },
      }),
    },
    {
      key: `/registry/endpointslices/${namespace}/${name}-scale`,
      value: JSON.stringify({
        apiVersion: "discovery.k8s.io/v1",
        kind: "EndpointSlice",
        metadata: {
          name: `${name}-scale`,
          namespace,
          uid: randomUUID(),
          creationTimestamp: created,
          labels: { "kubernetes.io/service-name": name, "endpointslice.kubernetes.io/managed-by": "container-suite.kube-dns" },
        },
        addressType: "IPv4",
        endpoints: service.endpoints.map((ip) => ({ addresses: [ip], conditions: { ready: true } })),
        ports: [{ name: "http", port: 80, protocol: "TCP" }],
      }),
    },
  ];
  if (clusterIP !== "None") stored.push({ key: `/registry/ranges/serviceips/${clusterIP}`, value: serviceKey });
  return stored;
}

/** namespaceObject is the stored Namespace of name. */
export function namespaceObject(name: string): KeyValue {
  const value = { apiVersion: "v1", kind: "Namespace", metadata: { name, uid: randomUUID(), creationTimestamp: new Date().toISOString() }, spec: { finalizers: ["kubernetes"] }, status: { phase: "Active" } };
  return { key: `/registry/namespaces/${name}`, value: JSON.stringify(value) };
}

/** expectedAnswers maps each service's full name to the A records skydns must give: its cluster IP, or its endpoints. */
export function expectedAnswers(services: readonly ScaleService[], domain = "cluster.local"): Map<string, string[]> {
  return new Map(services.map((s) => [`${s.name}.${s.namespace}.svc.${domain}`, s.clusterIP === "None" ? [...s.endpoints].sort() : [s.clusterIP]]));
}
