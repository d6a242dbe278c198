import { Etcd3 } from "etcd3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createNamespace, createThroughApi } from "./harness/api-client.js";
import { seededAnswers } from "./harness/api-records.js";
import { Churn } from "./harness/churn.js";
import { seedServices, type SeededService } from "./harness/cluster-seed.js";
import { type FaultRow, formatFaultTable } from "./harness/failover-table.js";
import { eventually } from "./harness/poll.js";
import { ReplicaQueries } from "./harness/replica-queries.js";
import { settle } from "./harness/settle.js";
import { usePod } from "./harness/use-pod.js";

// Faults of a single pod (`kube-dns up`) under a churn of service creates, updates and deletes through the API: its
// etcd, the API server (with the cluster's history compacted behind kube2sky's back), kube2sky in the middle of a
// burst, and skydns under queries. After each fault the churn pauses; etcd's /skydns must then equal what the API
// says and skydns answer exactly that. Queries for services that exist throughout go on all the time and may never
// be answered wrong while skydns is up. The launcher restarts a container at once the first time and then backs off
// as a kubelet does, from the pod under test's 1 s (the kubelet's 10 s would triple the file's time).
const STABLE = 20;
const BURST = 200;
const stable: SeededService[] = Array.from({ length: STABLE }, (_, i) => ({ namespace: "stable", name: `s-${i}`, clusterIP: `10.0.100.${i + 1}` }));

describe("faults of a single pod under churn: etcd, the API server's watch, kube2sky mid-burst, skydns under queries", () => {
  const pod = usePod({ queryLog: false });
  let etcd: Etcd3;
  let clusterEtcd: Etcd3;
  let churn: Churn;
  let queries: ReplicaQueries;
  // The skydns the queries go to, as ReplicaQueries sees it: not asked while killed, and a new generation per restart.
  const skydns = { up: true, generation: 0 };
  const rows: FaultRow[] = [];
  // What proves a scenario happened as described, printed under the table.
  const notes: string[] = [];

  beforeAll(async () => {
    etcd = new Etcd3({ hosts: pod().etcdUrl });
    clusterEtcd = new Etcd3({ hosts: pod().clusterEtcdUrl });
    await seedServices(pod().clusterEtcdUrl, stable);
    await createNamespace(pod().apiserverUrl, "churn");
    churn = new Churn(pod().apiserverUrl, "churn");
    queries = new ReplicaQueries(() => [{ name: "skydns", host: pod().dnsIp, port: 53, ...skydns }], seededAnswers(stable), 50);
    const { mismatches } = await settle(etcd, pod().apiserverUrl, churn, [{ name: "skydns", host: pod().dnsIp, port: 53 }]);
    expect(mismatches).toEqual([]);
    queries.start();
  }, 60_000);

  afterAll(async () => {
    await churn?.stop();
    await queries?.stop();
    etcd?.close();
    clusterEtcd?.close();
    if (rows.length > 0) console.log([formatFaultTable(rows), "", ...notes].join("\n"));
  }, 30_000);

  it("(a) the pod's etcd SIGKILLed and restarted 3 times: /skydns and the answers equal the API after each", async () => {
    await scenario("pod's etcd SIGKILLed, restarted", 3, async () => {
      await pod().kill("etcd");
    });
  }, 180_000);

  it("(b) the API server killed with the cluster's history compacted past kube2sky's watch, 2 times: kube2sky gets 410, relists and repairs", async () => {
    const relistsBefore = await servicesListed();
    await scenario("API server killed, cluster etcd compacted (410)", 2, async () => {
      const lists = await servicesListed();
      // While the API server is down: move the cluster's etcd two revisions on (so kube2sky's last resourceVersion
      // is strictly older than the compaction point) and compact there. Its re-watch must then get 410 Gone.
      await pod().kill("dev-apiserver", {
        whileDown: async () => {
          await clusterEtcd.put("/e2e-faults/compaction-mark").value("1");
          const { header } = await clusterEtcd.put("/e2e-faults/compaction-mark").value("2").exec();
          await clusterEtcd.kv.compact({ revision: header.revision, physical: true });
        },
      });
      await eventually(async () => ((await servicesListed()) > lists ? true : undefined), { what: "kube2sky listing services again after 410", timeoutMs: 30_000, intervalMs: 200 });
    });
    notes.push(`API server: kube2sky listed services ${(await servicesListed()) - relistsBefore} times more (once per 410 Gone).`);
  }, 120_000);

  it(`(c) kube2sky SIGKILLed in the middle of writing a burst of ${BURST} new services, 3 times`, async () => {
    const writtenAtKill: number[] = [];
    await scenario(`kube2sky SIGKILLed mid-burst of ${BURST} creates`, 3, async (i) => {
      const namespace = `burst-${i}`;
      await createNamespace(pod().apiserverUrl, namespace);
      const prefix = `/skydns/local/cluster/svc/${namespace}/`;
      const burst = createThroughApi(pod().apiserverUrl, namespace, BURST);
      await eventually(async () => ((await etcd.getAll().prefix(prefix).count()) > 0 ? true : undefined), { what: `the first of ${namespace} in etcd`, timeoutMs: 60_000, intervalMs: 10 });
      await pod().kill("kube2sky", {
        whileDown: async () => {
          const keys = await etcd.getAll().prefix(prefix).keys();
          writtenAtKill.push(new Set(keys.map((key) => /\/(api-\d+)\//.exec(key)?.[1])).size);
        },
      });
      await burst;
    });
    // Each kill left some of the burst written and some not: it really came in the middle.
    notes.push(`kube2sky: SIGKILLed with ${writtenAtKill.join(", ")} of the ${BURST} services of each burst in etcd.`);
    expect(writtenAtKill).toHaveLength(3);
    expect(writtenAtKill.filter((written) => written === 0 || written >= BURST)).toEqual([]);
  }, 180_000);

  it("(d) skydns SIGKILLed under a loop of queries, 3 times: once ready again, every answer is right", async () => {
    const asked = queries.queries;
    await scenario("skydns SIGKILLed under queries", 3, async () => {
      skydns.up = false;
      skydns.generation++;
      await pod().kill("skydns");
      skydns.up = true;
      // Queries go on after the restart, at least one sweep of them.
      const after = queries.queries;
      await eventually(async () => (queries.queries > after ? true : undefined), { what: "queries answered after the restart", timeoutMs: 20_000, intervalMs: 100 });
    });
    expect(queries.queries).toBeGreaterThan(asked);
  }, 180_000);

  // Runs one scenario: churn around each fault, then the API held still and etcd and skydns held to it. Its row
  // counts what settle still found different and every wrong answer the queries got meanwhile.
  async function scenario(name: string, faults: number, fault: (i: number) => Promise<void>): Promise<void> {
    const [changes, asked, wrong] = [churn.changes, queries.queries, queries.wrong.length];
    let checked = 0;
    const mismatches: string[] = [];
    for (let i = 0; i < faults; i++) {
      churn.resume();
      await new Promise((resolve) => setTimeout(resolve, 1000));
      await fault(i);
      await new Promise((resolve) => setTimeout(resolve, 500));
      await churn.pause();
      const settled = await settle(etcd, pod().apiserverUrl, churn, [{ name: "skydns", host: pod().dnsIp, port: 53 }]);
      checked += settled.checked;
      mismatches.push(...settled.mismatches);
    }
    const wrongAnswers = queries.wrong.slice(wrong);
    rows.push({ scenario: name, faults, changes: churn.changes - changes, checked: checked + queries.queries - asked, mismatches: mismatches.length + wrongAnswers.length });
    expect(mismatches.slice(0, 10)).toEqual([]);
    expect(wrongAnswers.slice(0, 10)).toEqual([]);
  }

  // Complete lists of services kube2sky has made: its first, and one per relist (after 410 Gone).
  async function servicesListed(): Promise<number> {
    return (await pod().kube2skyMetric("kubedns_kube2sky_lists_total", { kind: "service" })) ?? 0;
  }
});
