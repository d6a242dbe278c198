import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freePort } from "@kube-dns/etcd-process";
import { dig, rdata } from "./dig.js";
import { clusterIpService, deleteAll, putAll } from "./fixture.js";
import { startCluster, startOn, type Cluster } from "./harness.js";

let cluster: Cluster;

beforeAll(async () => {
  cluster = await startCluster();
  await cluster.skydns.ready();
});

afterAll(async () => {
  await cluster?.stop();
});

const MODES = ["+noedns", "+edns=0"];

describe("live updates from the etcd watch", () => {
  it.each(MODES)("answers a new record once the watch delivers it, and stops answering it once deleted (%s)", async (mode) => {
    const name = `live-${mode.replace(/\W/g, "")}.default.svc.cluster.local`;
    expect((await dig(cluster.port, [mode, name, "A"])).status).toBe("NXDOMAIN");
    const records = clusterIpService("default", name.split(".")[0]!, "10.0.0.77", { http: 80 });
    await cluster.skydns.waitForRevision(await putAll(cluster.client, records));
    expect(rdata((await dig(cluster.port, [mode, name, "A"])).answer)).toEqual(["10.0.0.77"]);
    expect((await dig(cluster.port, [mode, `_http._tcp.${name}`, "SRV"])).answer).toHaveLength(1);
    await cluster.skydns.waitForRevision(await deleteAll(cluster.client, records.map((r) => r.key)));
    expect((await dig(cluster.port, [mode, name, "A"])).status).toBe("NXDOMAIN");
    expect((await dig(cluster.port, [mode, `_http._tcp.${name}`, "SRV"])).status).toBe("NXDOMAIN");
  });

  it("turns NXDOMAIN into NODATA for a name that gains records below it", async () => {
    expect((await dig(cluster.port, ["+noedns", "team.svc.cluster.local", "A"])).status).toBe("NXDOMAIN");
    await cluster.skydns.waitForRevision(await putAll(cluster.client, clusterIpService("team", "api", "10.0.0.88")));
    const result = await dig(cluster.port, ["+noedns", "team.svc.cluster.local", "A"]);
    expect(result.status).toBe("NOERROR");
    expect(result.answer).toEqual([]);
  });

  it("logs and skips a corrupt value, and drops the record it replaced", async () => {
    const [record] = clusterIpService("default", "fragile", "10.0.0.66");
    await cluster.skydns.waitForRevision(await putAll(cluster.client, [record!]));
    expect(rdata((await dig(cluster.port, ["+noedns", "fragile.default.svc.cluster.local", "A"])).answer)).toEqual(["10.0.0.66"]);
    await cluster.skydns.waitForRevision(await putAll(cluster.client, [{ key: record!.key, value: '{"host": 42' }]));
    expect((await dig(cluster.port, ["+noedns", "fragile.default.svc.cluster.local", "A"])).status).toBe("NXDOMAIN");
    expect(await cluster.metric("kubedns_skydns_index_invalid_records_total")).toBe(1);
  });

  it("keeps serving what it knows while etcd is down, and catches up when it is back", async () => {
    await cluster.skydns.waitForRevision(await putAll(cluster.client, clusterIpService("default", "steady", "10.0.0.55")));
    await cluster.etcd.halt();
    expect(rdata((await dig(cluster.port, ["steady.default.svc.cluster.local", "A"])).answer)).toEqual(["10.0.0.55"]);
    await cluster.etcd.start();
    await cluster.skydns.waitForRevision(await putAll(cluster.client, clusterIpService("default", "later", "10.0.0.56")));
    expect(rdata((await dig(cluster.port, ["later.default.svc.cluster.local", "A"])).answer)).toEqual(["10.0.0.56"]);
    expect(cluster.skydns.watchState()).toBe("watching");
  });
});

describe("before anything was loaded", () => {
  it("answers SERVFAIL for every in-zone query, and still refuses other names", async () => {
    const skydns = await startOn(`http://127.0.0.1:${await freePort()}`, ["--no-rec"]);
    try {
      for (const args of [["+noedns", "kubernetes.default.svc.cluster.local", "A"], ["kubernetes.default.svc.cluster.local", "SRV"], ["cluster.local", "SOA"], ["nope.cluster.local", "TXT"]]) {
        expect((await dig(skydns.udpAddress.port, args)).status).toBe("SERVFAIL");
      }
      expect((await dig(skydns.udpAddress.port, ["www.example.org", "A"])).status).toBe("REFUSED");
      expect(skydns.watchState()).toBe("loading");
    } finally {
      await skydns.stop();
    }
  });
});

describe("when etcd comes up after skydns", () => {
  it("answers SERVFAIL until the first read, then from the records", async () => {
    await cluster.skydns.waitForRevision(await putAll(cluster.client, clusterIpService("default", "early", "10.0.0.44")));
    await cluster.etcd.halt();
    const skydns = await startOn(cluster.etcd.clientUrl);
    try {
      expect((await dig(skydns.udpAddress.port, ["+noedns", "early.default.svc.cluster.local", "A"])).status).toBe("SERVFAIL");
      await cluster.etcd.start();
      await skydns.ready();
      expect(rdata((await dig(skydns.udpAddress.port, ["+noedns", "early.default.svc.cluster.local", "A"])).answer)).toEqual(["10.0.0.44"]);
    } finally {
      await skydns.stop();
    }
  });
});
