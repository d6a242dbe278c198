import { Etcd3 } from "etcd3";
import { describe, expect, it } from "vitest";
import { createThroughApi } from "./harness/api-client.js";
import { seedServices, type SeededService } from "./harness/cluster-seed.js";
import { sweep, type Expected } from "./harness/dns-sweep.js";
import { eventually } from "./harness/poll.js";
import type { ContainerName } from "./harness/pod-processes.js";
import type { PodUnderTest } from "./harness/pod-under-test.js";
import { usePod } from "./harness/use-pod.js";

// Past every size ceiling that has broken us: a zone over gRPC's 4 MiB message (about 9,000 services), an API list
// over it (about 8,000), and one etcd revision far over it (150,000 deletes). 18,000 services are written into the
// cluster's store as the API server keeps them and 2,000 are created through the API, so kube2sky sees both lists and
// watch events; then each container is killed in turn and must come back ready with every answer right.
const SEEDED = 18_000;
const CREATED = 2_000;
const BULK_RECORDS = 150_000;
const BULK_PREFIX = "/skydns/local/cluster/svc/operator-bulk/";

const seeded: SeededService[] = Array.from({ length: SEEDED }, (_, i) => ({
  namespace: `scale-${i % 20}`,
  name: `svc-${i}`,
  // Above the /16's static band (its first 256 addresses), one address each.
  clusterIP: `10.0.${1 + (i >> 8)}.${i & 255}`,
}));

describe(`a cluster of ${SEEDED + CREATED} services, and one revision of ${BULK_RECORDS} deletes`, () => {
  const pod = usePod({ queryLog: false });
  const expected: Expected[] = [];
  const timings: Array<[string, number]> = [];

  it(`syncs ${SEEDED} services written to the cluster's store and ${CREATED} created through the API, and answers every one`, async () => {
    const started = Date.now();
    await seedServices(pod().clusterEtcdUrl, seeded);
    for (const service of seeded) expected.push(aRecord(service));
    for (const service of await createThroughApi(pod().apiserverUrl, "scale-api", CREATED)) expected.push(aRecord(service));
    timings.push(["services written (s)", (Date.now() - started) / 1000]);
    await everyAnswerRight(pod(), expected, 240_000);
    timings.push(["first sync until every answer is right (s)", (Date.now() - started) / 1000]);
    expect(await pod().skydnsMetric("kubedns_skydns_index_records")).toBeGreaterThanOrEqual(3 * (SEEDED + CREATED));
  }, 300_000);

  it(`drops ${BULK_RECORDS} records deleted in one revision, and reports that revision`, async () => {
    const client = new Etcd3({ hosts: pod().etcdUrl });
    try {
      const written = await putBulk(client, BULK_RECORDS);
      await eventually(async () => ((await pod().skydnsMetric("kubedns_skydns_index_revision")) ?? 0) >= written || undefined, { what: "skydns has the bulk records", timeoutMs: 60_000, intervalMs: 250 });
      const sample = [0, 74_999, 149_999].map((i): Expected => ({ name: `r${i}.operator-bulk.svc.cluster.local`, type: "A", rcode: "NOERROR", data: [bulkIp(i)] }));
      expect((await sweep(pod().dnsIp, 53, sample)).mismatches).toEqual([]);
      const deleted = await client.delete().prefix(BULK_PREFIX).exec();
      expect(Number(deleted.deleted)).toBe(BULK_RECORDS);
      const revision = Number(deleted.header.revision);
      await eventually(async () => ((await pod().skydnsMetric("kubedns_skydns_index_revision")) ?? 0) >= revision || undefined, { what: `skydns at revision ${revision}`, timeoutMs: 60_000, intervalMs: 250 });
      expect(await pod().skydnsMetric("kubedns_skydns_watch_state", { state: "watching" })).toBe(1);
      const gone = sample.map((e): Expected => ({ ...e, rcode: "NXDOMAIN", data: [] }));
      expect((await sweep(pod().dnsIp, 53, gone)).mismatches).toEqual([]);
      expect((await sweep(pod().dnsIp, 53, expected)).mismatches).toEqual([]);
    } finally {
      client.close();
    }
  }, 180_000);

  it.each<ContainerName>(["skydns", "kube2sky", "dev-apiserver", "etcd"])("comes back ready after %s is killed, with every answer right", async (container) => {
    const client = new Etcd3({ hosts: pod().etcdUrl });
    try {
      const before = await recordWrites(client);
      timings.push([`${container} killed until ready (s)`, await pod().kill(container)]);
      const result = await sweep(pod().dnsIp, 53, expected);
      expect(result.mismatches.slice(0, 5)).toEqual([]);
      // kube2sky finds etcd already right after a restart: it writes no record and no owner (no delete-then-rewrite).
      // Its election key is a write of its own, and a dead instance's key expires with its lease: not counted.
      if (container !== "etcd") expect(await recordWrites(client)).toEqual(before);
    } finally {
      client.close();
    }
    if (container === "etcd") {
      // After the pod's etcd came back, a new service still reaches skydns.
      const [late] = await createThroughApi(pod().apiserverUrl, "scale-late", 1);
      await everyAnswerRight(pod(), [aRecord(late!)], 60_000);
      console.log(timings.map(([what, value]) => `${what.padEnd(48)} ${value.toFixed(1)}`).join("\n"));
    }
  }, 180_000);
});

function aRecord(service: SeededService): Expected {
  return { name: `${service.name}.${service.namespace}.svc.cluster.local`, type: "A", rcode: "NOERROR", data: [service.clusterIP] };
}

function bulkIp(i: number): string {
  return `10.200.${(i >> 8) & 255}.${i & 255}`;
}

// An operator's records, straight into the pod's etcd (kube2sky owns none of them and leaves them alone).
async function putBulk(client: Etcd3, count: number): Promise<number> {
  let revision = 0;
  for (let at = 0; at < count; at += 100) {
    const success = [];
    for (let i = at; i < Math.min(count, at + 100); i++) {
      success.push({ request_put: { key: Buffer.from(`${BULK_PREFIX}r${i}`), value: Buffer.from(JSON.stringify({ host: bulkIp(i), ttl: 30 })) } });
    }
    revision = Number((await client.kv.txn({ compare: [], success, failure: [] })).header.revision);
  }
  return revision;
}

// Waits until a sweep of every expected name comes back right (kube2sky and skydns catching up), bounded.
async function everyAnswerRight(pod: PodUnderTest, expected: readonly Expected[], timeoutMs: number): Promise<void> {
  let last = "";
  await eventually(async () => {
    const result = await sweep(pod.dnsIp, 53, expected);
    last = `${result.mismatches.length} of ${result.asked} wrong, e.g. ${JSON.stringify(result.mismatches[0])}`;
    return result.mismatches.length === 0 ? true : undefined;
  }, { what: "every answer right", timeoutMs, intervalMs: 2000 }).catch((error: unknown) => {
    throw new Error(`${String(error)}; last sweep: ${last}`);
  });
}

/**
 * recordWrites says what a write of kube2sky's records or their owners would change: how many keys each prefix holds
 * and the revision of its newest key.
 */
async function recordWrites(client: Etcd3): Promise<Record<string, { keys: number; newest: number }>> {
  const writes: Record<string, { keys: number; newest: number }> = {};
  for (const prefix of ["/skydns/", "/kube2sky/owners/"]) {
    const keys = await client.getAll().prefix(prefix).count();
    const newest = (await client.getAll().prefix(prefix).sort("Mod", "Descend").limit(1).exec()).kvs[0];
    writes[prefix] = { keys, newest: Number(newest?.mod_revision ?? 0) };
  }
  return writes;
}
