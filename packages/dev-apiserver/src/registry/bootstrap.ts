import { formatIPv4, type Cidr } from "../addresses/cidr.js";
import type { Registry } from "./registry.js";
import { resourceByKind } from "../api/resources.js";
import { ApiError } from "../api/status.js";
import { SYSTEM_NAMESPACES } from "./system-namespaces.js";


/** kubernetesServiceIP is the first address of the service range: the `kubernetes` service's cluster IP. */
export function kubernetesServiceIP(serviceRange: Cidr): string {
  return formatIPv4(serviceRange.base + 1);
}

async function ensure(create: () => Promise<unknown>): Promise<void> {
  try {
    await create();
  } catch (error) {
    if (!(error instanceof ApiError && error.reason === "AlreadyExists")) throw error;
  }
}

/**
 * bootstrap creates what kube-apiserver's own controllers create at start, unless already there: the
 * system namespaces and the `kubernetes` service (443/TCP) on the first address of the service range.
 */
export async function bootstrap(registry: Registry, serviceRange: Cidr): Promise<void> {
  const namespaces = resourceByKind("Namespace");
  for (const name of SYSTEM_NAMESPACES) await ensure(() => registry.create(namespaces, undefined, { metadata: { name } }));
  const service = {
    metadata: { name: "kubernetes", labels: { component: "apiserver", provider: "kubernetes" } },
    spec: {
      type: "ClusterIP",
      clusterIP: kubernetesServiceIP(serviceRange),
      ports: [{ name: "https", port: 443, protocol: "TCP", targetPort: 6443 }],
      sessionAffinity: "None",
    },
  };
  await ensure(() => registry.create(resourceByKind("Service"), "default", service));
}
