import { readFileSync } from "node:fs";
import { parseAllDocuments } from "yaml";

/** KubeObject is the little of a manifest object that creating it needs. */
interface KubeObject {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata: { readonly name: string; readonly namespace?: string };
}

/**
 * createFromManifest creates every v1 Service in a manifest file through the API server at apiUrl, as
 * `kubectl create -f` would; one that exists already (409) is left as it is. The local cluster gets the `kube-dns`
 * Service this way, so that `kube-dns.kube-system` resolves as in a real cluster. Returns the names it created.
 */
export async function createFromManifest(apiUrl: string, manifestPath: string, token?: string): Promise<string[]> {
  const created: string[] = [];
  for (const document of parseAllDocuments(readFileSync(manifestPath, "utf8"))) {
    const object = document.toJS() as KubeObject | null;
    if (object === null || object.apiVersion !== "v1" || object.kind !== "Service") continue;
    const namespace = object.metadata.namespace ?? "default";
    const headers: Record<string, string> = { "content-type": "application/json" };
    if (token !== undefined) headers["authorization"] = `Bearer ${token}`;
    const response = await fetch(`${apiUrl}/api/v1/namespaces/${namespace}/services`, {
      method: "POST",
      headers,
      body: JSON.stringify(object),
      signal: AbortSignal.timeout(10_000),
    });
    if (response.status === 409) continue;
    if (!response.ok) throw new Error(`creating service ${namespace}/${object.metadata.name} from ${manifestPath}: ${response.status} ${await response.text()}`);
    created.push(`${namespace}/${object.metadata.name}`);
  }
  return created;
}
