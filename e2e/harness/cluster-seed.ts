import { type KubeObject, storeObjects } from "@kube-dns/dev-apiserver";

/** SeededService is one service written into the cluster's store: its name and its cluster IP. */
export interface SeededService {
  readonly namespace: string;
  readonly name: string;
  readonly clusterIP: string;
}

/**
 * seedServices writes services straight into the local cluster's etcd as its API server stores them (storeObjects:
 * each with its cluster IP claimed, its namespace created): a large cluster in seconds instead of the minutes
 * thousands of creates take. Everything that watches the API (the API server's controllers, kube2sky) sees them as
 * ordinary additions. Each service has one named port, `http` 80/TCP, and no selector.
 */
export async function seedServices(clusterEtcdUrl: string, services: readonly SeededService[]): Promise<void> {
  await storeObjects(clusterEtcdUrl, services.map(serviceObject));
}

function serviceObject(service: SeededService): KubeObject {
  return {
    apiVersion: "v1",
    kind: "Service",
    metadata: { name: service.name, namespace: service.namespace },
    spec: {
      ports: [{ name: "http", port: 80, protocol: "TCP", targetPort: 80 }],
      clusterIP: service.clusterIP,
      clusterIPs: [service.clusterIP],
      type: "ClusterIP",
      sessionAffinity: "None",
      ipFamilies: ["IPv4"],
      ipFamilyPolicy: "SingleStack",
      internalTrafficPolicy: "Cluster",
    },
    status: { loadBalancer: {} },
  };
}
