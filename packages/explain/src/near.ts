import { pathFor } from "@kube-dns/msg";

/** NearNames are services close to a name that was not found, as a pod in namespace would type them. */
export interface NearNames {
  /** `svc.otherns` for a service of the same name in another namespace, then similar names (a typo away). */
  readonly names: readonly string[];
  /** The namespace the name was looked for in: the second label when given, else the pod's. */
  readonly namespace: string;
  /** Whether that namespace holds any service at all. */
  readonly namespaceHasServices: boolean;
}

// A name two edits away (`my-ngnix`, `nginx`) is a likely typo; more suggests nothing.
const MAX_EDITS = 2;
const MAX_NEAR_NAMES = 5;

/**
 * nearNames reads the service keys under `svc.<domain>` (`/skydns/local/cluster/svc/NS/SVC/...`) and finds, for a
 * name typed from a pod in podNamespace (`SVC`, `SVC.NS`, or the full `SVC.NS.svc.<domain>`), the same service in
 * other namespaces and the services of its namespace spelt within two edits of it.
 */
export function nearNames(rawName: string, podNamespace: string, domain: string, serviceKeys: readonly string[], prefix: string): NearNames {
  const under = `${pathFor(`svc.${domain}`, prefix)}/`;
  const namespacesOf = new Map<string, Set<string>>();
  const namespaces = new Set<string>();
  for (const key of serviceKeys) {
    if (!key.startsWith(under)) continue;
    const [namespace, service, ...rest] = key.slice(under.length).split("/");
    if (namespace === undefined || service === undefined || rest.length === 0) continue;
    namespaces.add(namespace);
    const set = namespacesOf.get(service) ?? new Set<string>();
    set.add(namespace);
    namespacesOf.set(service, set);
  }
  const labels = rawName.toLowerCase().replace(/\.$/, "").split(".");
  const service = labels[0] ?? "";
  const namespace = labels.length >= 2 ? (labels[1] ?? podNamespace) : podNamespace;
  const typed = (name: string, ns: string): string => (ns === podNamespace ? name : `${name}.${ns}`);
  const names: string[] = [];
  for (const other of [...(namespacesOf.get(service) ?? [])].sort()) if (other !== namespace) names.push(typed(service, other));
  for (const [candidate, inNamespaces] of [...namespacesOf].sort(([a], [b]) => a.localeCompare(b))) {
    if (candidate !== service && inNamespaces.has(namespace) && editDistance(candidate, service) <= MAX_EDITS) names.push(typed(candidate, namespace));
  }
  return { names: names.slice(0, MAX_NEAR_NAMES), namespace, namespaceHasServices: namespaces.has(namespace) };
}

/** editDistance is the Levenshtein distance of two strings (insertions, deletions and substitutions). */
export function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = (previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1);
      current.push(Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, substitution));
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}
