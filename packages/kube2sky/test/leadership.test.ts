import { type EtcdServer, startEtcd } from "@kube-dns/etcd-process";
import { createLogger } from "@kube-dns/log";
import type { Etcd3 } from "etcd3";
import { Registry } from "prom-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { etcdClient, recordStore } from "../src/etcd.js";
import { type Fence, NotLeaderError } from "../src/fence.js";
import { Leadership, type Role } from "../src/leadership.js";
import { createMetrics } from "../src/metrics.js";
import type { Service } from "../src/objects.js";
import { Reconciler } from "../src/reconcile.js";
import { Store } from "../src/store.js";
import { serviceUnit } from "../src/unit.js";
import { etcdctlGet } from "./etcdctl.js";

const log = createLogger("kube2sky", "silent");
let etcd: EtcdServer;
let client: Etcd3;

beforeAll(async () => {
  etcd = await startEtcd();
  client = etcdClient({ server: etcd.clientUrl, mutationTimeoutMs: 5000 });
});

afterAll(async () => {
  client?.close();
  await etcd?.stop();
});

/** Candidate is a Leadership with its events turned into promises and a record of its roles. */
interface Candidate {
  readonly leadership: Leadership;
  readonly roles: Role[];
  readonly elected: Promise<Fence>;
  readonly deposed: Promise<void>;
}

function candidate(identity: string): Candidate {
  const roles: Role[] = [];
  let elect: (fence: Fence) => void = () => {};
  let depose: () => void = () => {};
  const elected = new Promise<Fence>((resolve) => (elect = resolve));
  const deposed = new Promise<void>((resolve) => (depose = resolve));
  const leadership = new Leadership({ client, ttlSeconds: 2, identity, log, onElected: elect, onDeposed: depose, onRole: (role) => roles.push(role), retryMs: 200 });
  leadership.start();
  return { leadership, roles, elected, deposed };
}

// What a leader's lease does when its process is paused or cut off past the TTL: it is gone, and its key with it.
async function expireLeaseOf(fence: Fence): Promise<void> {
  const lease = (await client.kv.range({ key: Buffer.from(fence.key) })).kvs[0]?.lease;
  if (lease === undefined) throw new Error(`${fence.key} has no lease`);
  await client.leaseClient.leaseRevoke({ ID: lease });
}

const svc = (name: string, ip: string): Service => ({ namespace: "default", name, type: "ClusterIP", clusterIPs: [ip], externalName: "", ports: [], publishNotReadyAddresses: false });

describe("the election among kube2sky replicas", () => {
  it("elects one leader; the other stands by and is elected at once when the leader resigns", async () => {
    const a = candidate("a");
    const fenceA = await a.elected;
    const b = candidate("b");
    await expect.poll(() => b.leadership.role, { timeout: 10_000, interval: 20 }).toBe("standby");
    expect(a.leadership.role).toBe("leader");
    expect(fenceA.key).toMatch(/^\/kube2sky\/election\/leader\//);
    const started = Date.now();
    await a.leadership.stop();
    const fenceB = await b.elected;
    // A resignation revokes the lease: no wait for its TTL.
    expect(Date.now() - started).toBeLessThan(1500);
    expect(fenceB.createRevision).toBeGreaterThan(fenceA.createRevision);
    expect(b.roles).toEqual(["standby", "leader"]);
    await b.leadership.stop();
  });

  it("refuses every write of a deposed leader once its successor was elected, and its reconciler stops writing", async () => {
    const a = candidate("a");
    const fenceA = await a.elected;
    const b = candidate("b");
    await expect.poll(() => b.leadership.role, { timeout: 10_000, interval: 20 }).toBe("standby");
    // a's lease runs out (a paused past its TTL, say): b is elected while a still holds its old fence.
    await expireLeaseOf(fenceA);
    const fenceB = await b.elected;
    await a.deposed;

    // The old leader's transaction, however late, writes nothing.
    const store = recordStore(client, 5000);
    const put = { kind: "put", key: "/skydns/local/cluster/svc/default/stale/1", value: "{}" } as const;
    await expect(store.commit([put], fenceA)).rejects.toBeInstanceOf(NotLeaderError);
    expect(await etcdctlGet(etcd.clientUrl, "/skydns/local/cluster/svc/default/stale/")).toEqual({});

    // Its reconciler, still believing it leads, meets the refusal at its first write and stops writing.
    const objects = new Store();
    const metrics = createMetrics(new Registry());
    let fenced = 0;
    const reconciler = new Reconciler({ store: objects, etcd: store, zone: "cluster.local.", prefix: "/skydns", metrics, log, onFenced: () => fenced++ });
    reconciler.start();
    reconciler.lead(fenceA);
    objects.setService(svc("late", "10.0.0.77"));
    reconciler.requestFullSync();
    await expect.poll(() => fenced, { timeout: 10_000, interval: 20 }).toBe(1);
    expect(reconciler.leading).toBe(false);
    expect((await metrics.fencedTxnsTotal.get()).values[0]?.value).toBe(1);
    reconciler.markDirty([serviceUnit("default", "late")]);
    await reconciler.whenIdle();
    expect(await etcdctlGet(etcd.clientUrl, "/skydns/local/cluster/svc/default/late/")).toEqual({});
    expect((await metrics.etcdTxnsTotal.get()).values[0]?.value ?? 0).toBe(0);

    // The successor's transactions go through.
    reconciler.lead(fenceB);
    reconciler.requestFullSync();
    await reconciler.ready;
    expect(Object.keys(await etcdctlGet(etcd.clientUrl, "/skydns/local/cluster/svc/default/late/"))).toHaveLength(1);
    await reconciler.stop();
    await Promise.all([a.leadership.stop(), b.leadership.stop()]);
  });

  it("campaigns again after losing its lease, and stands by behind the new leader", async () => {
    const a = candidate("a");
    const fenceA = await a.elected;
    const b = candidate("b");
    await expect.poll(() => b.leadership.role, { timeout: 10_000, interval: 20 }).toBe("standby");
    await expireLeaseOf(fenceA);
    await b.elected;
    await expect.poll(() => a.leadership.role, { timeout: 10_000, interval: 20 }).toBe("standby");
    expect(a.roles).toEqual(["leader", "candidate", "standby"]);
    await Promise.all([a.leadership.stop(), b.leadership.stop()]);
  });
});
