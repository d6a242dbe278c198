import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEtcd, type EtcdServer } from "@kube-dns/etcd-process";
import { noop } from "cockatiel";
import { Etcd3 } from "etcd3";
import { CompactedError, connectEtcd, readPages, readPrefix } from "../src/index.js";
import { putMany } from "./feed.js";

let etcd: EtcdServer;
let client: Etcd3;

beforeAll(async () => {
  etcd = await startEtcd();
  client = connectEtcd({ endpoints: [etcd.clientUrl] });
});

afterAll(async () => {
  client?.close();
  await etcd?.stop();
});

describe("readPages", () => {
  it("reads a prefix in pages of at most pageKeys keys, all as of the first page's revision", async () => {
    await putMany(client, "/paged/", 0, 2500, (i) => `v${i}`);
    await client.put("/pagedX").value("outside the prefix"); // shares the text but not the prefix
    const sizes: number[] = [];
    const revisions = new Set<number>();
    const keys: string[] = [];
    for await (const page of readPages(client, "/paged/", { pageKeys: 1000 })) {
      sizes.push(page.entries.length);
      revisions.add(page.revision);
      keys.push(...page.entries.map((e) => e.key));
      // Written between pages: not part of the snapshot that started before it.
      if (sizes.length === 1) await client.put("/paged/9999").value("late");
    }
    expect(sizes).toEqual([1000, 1000, 500]);
    expect(revisions.size).toBe(1);
    expect(new Set(keys).size).toBe(2500);
    expect(keys).not.toContain("/paged/9999");
  });

  it("asks again with fewer keys when a page is larger than one gRPC message", async () => {
    // gRPC's default 4 MiB receive limit (and no circuit breaker): eight 1 MiB values do not fit in one answer.
    const plain = new Etcd3({ hosts: etcd.clientUrl, faultHandling: { host: () => noop, global: noop } });
    try {
      // One put each: etcd takes at most 1.5 MiB in one request.
      for (let i = 0; i < 8; i++) await plain.put(`/big/${i}`).value("x".repeat(1 << 20));
      const sizes: number[] = [];
      for await (const page of readPages(plain, "/big/", { pageKeys: 8 })) sizes.push(page.entries.length);
      expect(sizes.reduce((a, b) => a + b, 0)).toBe(8);
      expect(Math.max(...sizes)).toBeLessThan(8);
    } finally {
      plain.close();
    }
  });

  it("fails with CompactedError when its pinned revision is compacted", async () => {
    const first = await readPrefix(client, "/paged/");
    await client.put("/paged/9998").value("newer");
    const latest = await readPrefix(client, "/paged/");
    await client.kv.compact({ revision: String(latest.revision), physical: true });
    await expect(readPrefix(client, "/paged/", { revision: first.revision })).rejects.toBeInstanceOf(CompactedError);
  });

  it("returns an empty snapshot with the current revision for an empty prefix", async () => {
    const snapshot = await readPrefix(client, "/nothing-here/");
    expect(snapshot.entries).toEqual([]);
    expect(snapshot.revision).toBeGreaterThan(1);
  });
});

describe("connectEtcd", () => {
  it("says which file it cannot read", () => {
    expect(() => connectEtcd({ endpoints: ["https://127.0.0.1:1"], caFile: "/nonexistent/ca.pem" })).toThrow(/CA file \/nonexistent\/ca.pem/);
  });

  it("refuses a certificate without its key", () => {
    expect(() => connectEtcd({ endpoints: ["https://127.0.0.1:1"], caFile: "/dev/null", certFile: "/dev/null" })).toThrow(/both its certificate and its key/);
  });
});
