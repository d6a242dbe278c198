import type { SeededService } from "./cluster-seed.js";

/** apiRequest sends one JSON request to the API server and returns the decoded body; a status other than 2xx throws. */
export async function apiRequest(apiserverUrl: string, method: string, path: string, body?: unknown): Promise<unknown> {
  const init: RequestInit = { method, headers: { "content-type": "application/json" }, signal: AbortSignal.timeout(10_000) };
  if (body !== undefined) init.body = JSON.stringify(body);
  const response = await fetch(`${apiserverUrl}${path}`, init);
  const text = await response.text();
  if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${text}`);
  return JSON.parse(text) as unknown;
}

/** createNamespace creates a namespace; one that already exists is left as it is. */
export async function createNamespace(apiserverUrl: string, namespace: string): Promise<void> {
  await apiRequest(apiserverUrl, "POST", "/api/v1/namespaces", { apiVersion: "v1", kind: "Namespace", metadata: { name: namespace } }).catch((error: unknown) => {
    if (!String(error).includes(": 409 ")) throw error;
  });
}

/**
 * createThroughApi creates count services `api-0` ... in a namespace (created too), 16 requests at a time, each with
 * one named port (`http` 80), and returns them with the cluster IPs the API server gave.
 */
export async function createThroughApi(apiserverUrl: string, namespace: string, count: number): Promise<SeededService[]> {
  await createNamespace(apiserverUrl, namespace);
  const created: SeededService[] = [];
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < count) {
      const name = `api-${next++}`;
      const body = { apiVersion: "v1", kind: "Service", metadata: { name }, spec: { ports: [{ name: "http", port: 80 }] } };
      const object = (await apiRequest(apiserverUrl, "POST", `/api/v1/namespaces/${namespace}/services`, body)) as { spec?: { clusterIP?: string } };
      created.push({ namespace, name, clusterIP: String(object.spec?.clusterIP) });
    }
  };
  await Promise.all(Array.from({ length: 16 }, worker));
  return created;
}
