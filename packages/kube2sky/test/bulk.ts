import { randomUUID } from "node:crypto";
import { type KubeObject, storeObjects } from "@kube-dns/dev-apiserver";

/** BulkOptions says what writeServices creates besides the services. */
export interface BulkOptions {
  readonly namespace?: string;
  /** Also write one EndpointSlice per service, with one ready endpoint, as the endpoint controller would. */
  readonly slices?: boolean;
  /** Write headless services (clusterIP None) instead, each with one slice of this many ready endpoints. */
  readonly headlessEndpoints?: number;
  /** The first service's index, so several calls write distinct names and addresses. */
  readonly from?: number;
}

/** bulkServiceName is the name of the i-th bulk service: `svc-00042`. */
export function bulkServiceName(i: number): string {
  return `svc-${String(i).padStart(5, "0")}`;
}

/** bulkClusterIP is the i-th bulk service's cluster IP, from 10.1.0.0 up: outside the dev API server's range. */
export function bulkClusterIP(i: number): string {
  return `10.${1 + (i >> 16)}.${(i >> 8) & 255}.${i & 255}`;
}

/**
 * writeServices writes count ClusterIP services, each with one named port, straight into the API server's etcd
 * (storeObjects: the JSON and keys the dev API server keeps): far faster than count POSTs, and the server lists and
 * watches them like any other.
 */
export async function writeServices(etcdUrl: string, count: number, options: BulkOptions = {}): Promise<void> {
  const namespace = options.namespace ?? "bulk";
  const objects: KubeObject[] = [];
  const endpoints = options.headlessEndpoints;
  for (let i = options.from ?? 0; i < (options.from ?? 0) + count; i++) {
    const name = bulkServiceName(i);
    const uid = randomUUID();
    const ip = endpoints === undefined ? bulkClusterIP(i) : "None";
    objects.push({
      apiVersion: "v1",
      kind: "Service",
      metadata: { name, namespace, uid, labels: { app: name } },
      spec: {
        ports: [{ name: "http", port: 80, protocol: "TCP", targetPort: 8080 }],
        type: "ClusterIP",
        sessionAffinity: "None",
        ipFamilies: ["IPv4"],
        ipFamilyPolicy: "SingleStack",
        internalTrafficPolicy: "Cluster",
        clusterIP: ip,
        clusterIPs: [ip],
      },
      status: { loadBalancer: {} },
    });
    if (endpoints !== undefined) objects.push(slice(namespace, name, uid, i, endpoints));
    else if (options.slices === true) objects.push(slice(namespace, name, uid, i, 1));
  }
  await storeObjects(etcdUrl, objects);
}

// The slice's endpoints have addresses of their own: the j-th endpoint of service i is 10.(128 + j).x.y.
function slice(namespace: string, service: string, serviceUid: string, i: number, count: number): KubeObject {
  return {
    apiVersion: "discovery.k8s.io/v1",
    kind: "EndpointSlice",
    metadata: {
      name: `${service}-bulk`,
      namespace,
      // Not the endpoint controller's managed-by value, so the dev API server's controller leaves it alone.
      labels: { "kubernetes.io/service-name": service, "endpointslice.kubernetes.io/managed-by": "bulk.kube-dns.test" },
      ownerReferences: [{ apiVersion: "v1", kind: "Service", name: service, uid: serviceUid, controller: true, blockOwnerDeletion: true }],
      generation: 1,
    },
    addressType: "IPv4",
    endpoints: Array.from({ length: count }, (_, j) => ({
      addresses: [`10.${128 + j * 2 + (i >> 16)}.${(i >> 8) & 255}.${i & 255}`],
      conditions: { ready: true, serving: true, terminating: false },
      targetRef: { kind: "Pod", namespace, name: `${service}-${j}`, uid: randomUUID() },
      nodeName: "dev-node",
    })),
    ports: [{ name: "http", port: 8080, protocol: "TCP" }],
  };
}

/** bulkPodIP is the i-th bulk pod's IP, from 10.128.0.0 up: outside the dev API server's pod range. */
export function bulkPodIP(i: number): string {
  return `10.${128 + (i >> 16)}.${(i >> 8) & 255}.${i & 255}`;
}

/**
 * writePods writes count running pods, each with one IP and one container, straight into the API server's etcd, as a
 * kubelet would have left them (status.phase Running, podIP set): what kube2sky's pod reflector lists and watches.
 */
export async function writePods(etcdUrl: string, count: number, namespace = "bulk"): Promise<void> {
  const objects: KubeObject[] = [];
  for (let i = 0; i < count; i++) {
    const ip = bulkPodIP(i);
    objects.push({
      apiVersion: "v1",
      kind: "Pod",
      metadata: { name: `pod-${String(i).padStart(6, "0")}`, namespace, labels: { app: "bulk", "pod-template-hash": "5d4f8b7c9" } },
      spec: {
        containers: [{ name: "web", image: "registry.example.org/web:1.0", ports: [{ name: "http", containerPort: 8080, protocol: "TCP" }], resources: { requests: { cpu: "100m", memory: "64Mi" } } }],
        nodeName: "dev-node",
        restartPolicy: "Always",
        dnsPolicy: "ClusterFirst",
      },
      status: {
        phase: "Running",
        podIP: ip,
        podIPs: [{ ip }],
        hostIP: "192.0.2.1",
        conditions: [{ type: "Ready", status: "True" }, { type: "ContainersReady", status: "True" }, { type: "PodScheduled", status: "True" }],
      },
    });
  }
  await storeObjects(etcdUrl, objects);
}
