import { configKeyFor, parseKey, parseRecord, pathFor } from "@kube-dns/msg";
import type { Difference } from "./difference.js";

/** Wanted is one record the API objects imply: its exact value and the API object it belongs to. */
export interface Wanted {
  readonly value: string;
  readonly object: string;
}

/** EtcdView is what etcd holds: every record under the prefix, and the owner registry's key -> API object. */
export interface EtcdView {
  readonly records: ReadonlyMap<string, string>;
  readonly owners: ReadonlyMap<string, string>;
}

/**
 * compareRecords is the API against etcd, as kube2sky's reconciler would see it: each wanted key missing, corrupt
 * or wrong, and each key of kube2sky's that nothing wants stale (or corrupt). A key is kube2sky's when its owner
 * registry lists it or it lies where only kube2sky writes (the zone's `svc`, `pod` and `dns-version` names); the
 * rest (skydns's config key, an operator's zones and reverse records) is not ours to judge.
 */
export function compareRecords(wanted: ReadonlyMap<string, Wanted>, etcd: EtcdView, zone: string, prefix: string): Difference[] {
  const differences: Difference[] = [];
  for (const [key, want] of wanted) {
    const held = etcd.records.get(key);
    if (held === undefined) {
      differences.push({ kind: "missing", object: want.object, key, detail: `etcd lacks ${want.value}` });
      continue;
    }
    const fault = faultOf(key, held, prefix);
    if (fault !== undefined) differences.push({ kind: "corrupt", object: want.object, key, detail: fault });
    else if (held !== want.value) differences.push({ kind: "wrong", object: want.object, key, detail: `etcd holds ${held}, the API implies ${want.value}` });
  }
  const owned = ownedTrees(zone, prefix);
  const configKey = configKeyFor(prefix);
  for (const [key, held] of etcd.records) {
    if (wanted.has(key) || key === configKey) continue;
    const registered = etcd.owners.get(key);
    if (registered === undefined && !owned.some((tree) => key.startsWith(tree))) continue;
    const object = registered ?? objectOfPath(key, zone, prefix);
    const fault = faultOf(key, held, prefix);
    if (fault !== undefined) differences.push({ kind: "corrupt", object, key, detail: fault });
    else differences.push({ kind: "stale", object, key, detail: `no API object implies ${held}` });
  }
  return differences;
}

/** faultOf says why skydns would skip this key or value (msg's parseKey and parseRecord), or undefined when it reads. */
export function faultOf(key: string, value: string, prefix: string): string | undefined {
  try {
    parseKey(key, prefix);
  } catch (error) {
    return (error as Error).message;
  }
  // Without the key: the difference shows it already.
  const parsed = parseRecord(value);
  return parsed.ok ? undefined : `${parsed.error.message}: ${JSON.stringify(value.slice(0, 80))}`;
}

// The directories below which every key is kube2sky's, each ending in a slash.
function ownedTrees(zone: string, prefix: string): string[] {
  return ["svc", "pod", "dns-version"].map((label) => `${pathFor(`${label}.${zone}`, prefix)}/`);
}

/** objectOfPath names the API object a key's place stands for (`svc/NS/NAME/...` -> `Service NS/NAME`), or `-`. */
export function objectOfPath(key: string, zone: string, prefix: string): string {
  const zonePath = `${pathFor(zone, prefix)}/`;
  if (!key.startsWith(zonePath)) return "-";
  const [tree, namespace, name] = key.slice(zonePath.length).split("/");
  if (tree === "svc" && namespace !== undefined && name !== undefined) return `Service ${namespace}/${name}`;
  if (tree === "pod" && namespace !== undefined && name !== undefined) return `Pod ${namespace}/? (${name})`;
  if (tree === "dns-version") return "dns-version";
  return "-";
}
