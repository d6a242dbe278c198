import { configKeyFor } from "@kube-dns/msg";
import type { Etcd3 } from "etcd3";
import type { DnsConfig } from "./dns-config.js";
import { type Fence, NotLeaderError } from "./fence.js";

/** CONFIG_KEY is skydns's own configuration key; kube2sky owns its `nameservers` and `stub_domains` fields. */
export const CONFIG_KEY = configKeyFor();

const OWNED_FIELDS = ["nameservers", "stub_domains"] as const;

/** MAX_CONFIG_CONFLICTS bounds the retries of one write that keeps losing the race with another writer of the key. */
const MAX_CONFIG_CONFLICTS = 10;

/**
 * mergeConfig is the value CONFIG_KEY should hold: the current value's other top-level fields (an operator's, set
 * with etcdctl) kept, kube2sky's two fields replaced by config's (removed when config leaves them out). It returns
 * undefined when nothing remains, so the key is deleted. A current value that is not a JSON object is no
 * configuration skydns could read, and is replaced.
 */
export function mergeConfig(current: string | undefined, config: DnsConfig): string | undefined {
  const merged: Record<string, unknown> = {};
  const parsed = parseObject(current);
  for (const [field, value] of Object.entries(parsed)) if (!(OWNED_FIELDS as readonly string[]).includes(field)) merged[field] = value;
  if (config.nameservers !== undefined) merged["nameservers"] = config.nameservers;
  if (config.stub_domains !== undefined) merged["stub_domains"] = config.stub_domains;
  return Object.keys(merged).length === 0 ? undefined : JSON.stringify(merged);
}

function parseObject(value: string | undefined): Record<string, unknown> {
  if (value === undefined) return {};
  try {
    const parsed = JSON.parse(value) as unknown;
    return typeof parsed === "object" && parsed !== null && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

/**
 * writeConfig makes CONFIG_KEY carry config, under fence: it reads the key, merges, and writes in one transaction
 * that compares the fence's key and CONFIG_KEY's mod revision, so neither a deposed leader nor a write racing an
 * operator's etcdctl loses anything; on a lost race it reads again. It resolves false when the key already held the
 * merged value (nothing written), and rejects with NotLeaderError when the fence no longer holds.
 */
export async function writeConfig(client: Etcd3, config: DnsConfig, fence: Fence, timeoutMs: number): Promise<boolean> {
  const key = Buffer.from(CONFIG_KEY);
  const fenceKey = Buffer.from(fence.key);
  for (let attempt = 0; attempt < MAX_CONFIG_CONFLICTS; attempt++) {
    const options = { deadline: Date.now() + timeoutMs };
    const current = (await client.kv.range({ key }, options)).kvs[0];
    const currentValue = current?.value.toString("utf8");
    const next = mergeConfig(currentValue, config);
    if (next === currentValue) return false;
    const response = await client.kv.txn(
      {
        compare: [
          { key: fenceKey, target: "Create", result: "Equal", create_revision: String(fence.createRevision) },
          // mod revision 0 is "the key does not exist".
          { key, target: "Mod", result: "Equal", mod_revision: current?.mod_revision ?? "0" },
        ],
        success: [next === undefined ? { request_delete_range: { key } } : { request_put: { key, value: Buffer.from(next) } }],
        failure: [{ request_range: { key: fenceKey } }],
      },
      options,
    );
    if (response.succeeded) return true;
    const held = response.responses[0]?.response_range?.kvs[0];
    if (held === undefined || Number(held.create_revision) !== fence.createRevision) throw new NotLeaderError(fence);
  }
  throw new Error(`${CONFIG_KEY} changed under every one of ${MAX_CONFIG_CONFLICTS} writes`);
}
