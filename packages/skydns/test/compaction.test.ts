import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEtcd } from "@kube-dns/etcd-process";
import { addressRecord, configKeyFor, storedRecord } from "@kube-dns/msg";
import { Etcd3 } from "etcd3";
import { dig, rdata } from "./dig.js";
import { clusterIpService, deleteAll, putAll } from "./fixture.js";
import { startCluster, type Cluster } from "./harness.js";

let cluster: Cluster;

beforeAll(async () => {
  cluster = await startCluster();
  await cluster.skydns.waitForRevision(await putAll(cluster.client, clusterIpService("default", "old", "10.0.0.31")));
});

afterAll(async () => {
  await cluster?.stop();
});

describe("a watch whose history was compacted", () => {
  it("reads everything again and serves the current records and config key", async () => {
    // While skydns's etcd is away, the same member runs on another port (skydns cannot reach it there):
    // a record is added, one deleted, and the history compacted past skydns's revision.
    await cluster.etcd.halt();
    const elsewhere = await startEtcd({ dataDir: cluster.etcd.dataDir });
    const client = new Etcd3({ hosts: elsewhere.clientUrl });
    try {
      await putAll(client, clusterIpService("default", "new", "10.0.0.32"));
      // The config key changes too: the reload must apply it, as the watch would have.
      await putAll(client, [{ key: configKeyFor(), value: JSON.stringify({ zones: ["lab.example.org."] }) }, storedRecord("www.lab.example.org", addressRecord("10.1.1.1"))]);
      const revision = await deleteAll(client, clusterIpService("default", "old", "10.0.0.31").map((r) => r.key));
      await client.kv.compact({ revision: String(revision), physical: true });
    } finally {
      client.close();
      await elsewhere.halt();
    }
    await cluster.etcd.start();
    await cluster.skydns.waitForRevision(Number((await cluster.client.get("/").exec()).header.revision));
    expect(rdata((await dig(cluster.port, ["new.default.svc.cluster.local", "A"])).answer)).toEqual(["10.0.0.32"]);
    expect((await dig(cluster.port, ["+noedns", "old.default.svc.cluster.local", "A"])).status).toBe("NXDOMAIN");
    expect(await cluster.metric("kubedns_skydns_index_loads_total")).toBe(2);
    expect(rdata((await dig(cluster.port, ["www.lab.example.org", "A"])).answer)).toEqual(["10.1.1.1"]);
    expect(await cluster.metric("kubedns_skydns_config_revision")).toBeGreaterThan(0);
  });
});
