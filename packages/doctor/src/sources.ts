import { connectEtcd, endpointsOf, explainEtcdError, readPrefix } from "@kube-dns/etcd-feed";
import { type DesiredSnapshot, decodeOwned, kubeConfigFor, listDesired, OWNERS_PREFIX, unitOfOwnerKey } from "@kube-dns/kube2sky";
import type { Wanted } from "./compare.js";
import type { DoctorConfig } from "./config.js";

/** SourceError is a view that could not be read at all: the API, etcd or skydns. */
export class SourceError extends Error {
  constructor(
    readonly source: "api" | "etcd" | "dns",
    message: string,
  ) {
    super(message);
    this.name = "SourceError";
  }
}

/** ApiView is what the API objects imply: every wanted key, and for the owner registry, who each unit is. */
export interface ApiView {
  readonly wanted: ReadonlyMap<string, Wanted>;
  readonly objectOf: DesiredSnapshot["objectOf"];
}

/** readApi lists the API once (kube2sky's lists and its desired-state computation) and flattens it to keys. */
export async function readApi(config: DoctorConfig, zone: string): Promise<ApiView> {
  let snapshot: DesiredSnapshot;
  try {
    const kubeConfig = kubeConfigFor({ kubeconfigFile: config.kubeconfig });
    snapshot = await listDesired({
      kubeConfig, endpointsApi: config.endpointsApi, pods: config.pods, zone, prefix: config.prefix, signal: AbortSignal.timeout(config.timeoutMs * 10),
    });
  } catch (error) {
    throw new SourceError("api", `cannot list the API (${config.kubeconfig ?? "in-cluster service account"}): ${oneLine(error)}`);
  }
  const wanted = new Map<string, Wanted>();
  for (const [unit, set] of snapshot.units) {
    const object = snapshot.objectOf(unit);
    for (const [key, value] of set.records) if (!wanted.has(key)) wanted.set(key, { value, object });
  }
  return { wanted, objectOf: snapshot.objectOf };
}

/** EtcdRead is etcd's records under the prefix and the owner registry, each key mapped to its unit's API object. */
export interface EtcdRead {
  readonly records: Map<string, string>;
  readonly owners: Map<string, string>;
}

/** readEtcd reads the prefix and kube2sky's owner registry in pages (etcd-feed), with the config's TLS. */
export async function readEtcd(config: DoctorConfig, objectOf: ApiView["objectOf"]): Promise<EtcdRead> {
  const { timeoutMs } = config;
  const client = connectEtcd({
    endpoints: endpointsOf(config.etcdServer), caFile: config.etcdCaFile, certFile: config.etcdCertFile, keyFile: config.etcdKeyFile, dialTimeoutMs: timeoutMs,
  });
  try {
    const records = new Map<string, string>();
    for (const entry of (await readPrefix(client, `${config.prefix}/`, { timeoutMs })).entries) records.set(entry.key, entry.value.toString("utf8"));
    const owners = new Map<string, string>();
    for (const entry of (await readPrefix(client, OWNERS_PREFIX, { timeoutMs })).entries) {
      const unit = unitOfOwnerKey(entry.key);
      if (unit === undefined) continue;
      for (const key of decodeOwned(entry.value.toString("utf8"), config.prefix)) owners.set(key, objectOf(unit));
    }
    return { records, owners };
  } catch (error) {
    throw new SourceError("etcd", `cannot read ${config.prefix} from ${config.etcdServer}: ${explainEtcdError(error)}`);
  } finally {
    client.close();
  }
}

function oneLine(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.split("\n")[0]!.slice(0, 300);
}
