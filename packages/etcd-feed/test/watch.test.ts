import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEtcd, type EtcdServer } from "@kube-dns/etcd-process";
import { Etcd3 } from "etcd3";
import { CompactedError, connectEtcd, currentRevision, watchPrefix, type WatchEvent } from "../src/index.js";
import { deferred, putMany } from "./feed.js";

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

/** SERVICE_PATH makes keys as long as kube2sky's: a delete event then takes about as many bytes as in production. */
const SERVICE_PATH = "local/cluster/svc/a-namespace-name/a-service-name-of-some-length/";

/** recordLike is a value the size of a record kube2sky writes. */
function recordLike(i: number): string {
  return JSON.stringify({ host: `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`, port: 80, priority: 10, weight: 10, ttl: 30 });
}

/** Recorder collects what a watch delivers and tells when it has reached a revision. */
class Recorder {
  readonly events: WatchEvent[] = [];
  readonly deliveries: number[] = [];
  readonly log: string[] = [];
  resets: Error[] = [];
  private waiters: Array<{ revision: number; resolve: () => void }> = [];
  revision = 0;

  readonly handlers = {
    onEvents: (events: readonly WatchEvent[], revision: number): void => {
      for (const event of events) this.events.push(event); // no spread: 150,000 arguments overflow the stack
      this.deliveries.push(revision);
      this.reached(revision);
    },
    onProgress: (revision: number): void => this.reached(revision),
    onDisconnected: (): void => void this.log.push("disconnected"),
    onConnected: (): void => void this.log.push("connected"),
    onReset: (error: Error): void => {
      this.resets.push(error);
      this.log.push("reset");
    },
  };

  until(revision: number): Promise<void> {
    if (this.revision >= revision) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push({ revision, resolve }));
  }

  private reached(revision: number): void {
    this.revision = Math.max(this.revision, revision);
    const due = this.waiters.filter((w) => w.revision <= this.revision);
    this.waiters = this.waiters.filter((w) => w.revision > this.revision);
    for (const waiter of due) waiter.resolve();
  }
}

describe("watchPrefix", () => {
  it("delivers each revision whole and in order, with previous values when asked", async () => {
    const from = (await currentRevision(client)) + 1;
    const recorder = new Recorder();
    const watch = watchPrefix(client, "/w1/", from, recorder.handlers, { prevKv: true });
    try {
      await client.put("/w1/a").value("1");
      await client.put("/w1/a").value("2");
      await client.put("/w1x").value("not under the prefix");
      const deleted = await client.delete().prefix("/w1/").exec();
      await recorder.until(Number(deleted.header.revision));
      expect(recorder.events.map((e) => [e.type, e.key, e.value.toString(), e.prevValue?.toString()])).toEqual([
        ["put", "/w1/a", "1", undefined],
        ["put", "/w1/a", "2", "1"],
        ["delete", "/w1/a", "", "2"],
      ]);
      expect(watch.nextRevision).toBe(Number(deleted.header.revision) + 1);
    } finally {
      watch.cancel();
    }
  });

  it("delivers a revision of 150,000 deletes (a message over gRPC's default 4 MiB) as one whole revision", async () => {
    const written = await putMany(client, `/w2/${SERVICE_PATH}`, 0, 150_000, recordLike);
    const recorder = new Recorder();
    const watch = watchPrefix(client, "/w2/", written + 1, recorder.handlers);
    try {
      const deleted = Number((await client.delete().prefix("/w2/").exec()).header.revision);
      await recorder.until(deleted);
      expect(recorder.deliveries).toEqual([deleted]);
      expect(recorder.events).toHaveLength(150_000);
      expect(recorder.events.every((e) => e.type === "delete" && e.modRevision === deleted)).toBe(true);
      expect(recorder.resets).toEqual([]);
    } finally {
      watch.cancel();
    }
  }, 60_000);

  it("ends with onReset, delivering nothing of it, when a revision is larger than the client accepts", async () => {
    // A plain client keeps gRPC's default 4 MiB limit, as skydns's did when it skipped such a revision.
    const plain = new Etcd3({ hosts: etcd.clientUrl });
    try {
      const written = await putMany(client, `/w6/${SERVICE_PATH}`, 0, 100_000, recordLike);
      const reset = deferred<Error>();
      const recorder = new Recorder();
      const watch = watchPrefix(plain, "/w6/", written + 1, { ...recorder.handlers, onReset: (error) => reset.resolve(error) });
      await client.delete().prefix("/w6/").exec();
      expect((await reset.promise).message).toMatch(new RegExp(`etcd revision ${written + 1} cannot be received`));
      expect(recorder.events).toEqual([]);
      expect(watch.nextRevision).toBe(written + 1);
    } finally {
      plain.close();
    }
  }, 60_000);

  it("resumes after etcd restarts at the revision after the last one delivered, missing nothing written meanwhile", async () => {
    const recorder = new Recorder();
    const watch = watchPrefix(client, "/w3/", (await currentRevision(client)) + 1, recorder.handlers);
    try {
      await recorder.until(Number((await client.put("/w3/before").value("1").exec()).header.revision));
      // While the watched member is away, the same member runs on another port and takes writes the watch cannot see yet.
      await etcd.halt();
      const elsewhere = await startEtcd({ dataDir: etcd.dataDir });
      const other = new Etcd3({ hosts: elsewhere.clientUrl });
      let last = 0;
      try {
        for (let i = 0; i < 5; i++) last = Number((await other.put(`/w3/while-away-${i}`).value(String(i)).exec()).header.revision);
      } finally {
        other.close();
        await elsewhere.halt();
      }
      await etcd.start();
      await recorder.until(last);
      expect(recorder.events.map((e) => e.key)).toEqual(["/w3/before", ...[0, 1, 2, 3, 4].map((i) => `/w3/while-away-${i}`)]);
      expect(recorder.log).toContain("disconnected");
      expect(recorder.log.at(-1)).toBe("connected");
    } finally {
      watch.cancel();
    }
  }, 60_000);

  it("ends with a CompactedError when the history it needs is compacted, and says nothing after", async () => {
    const start = await currentRevision(client);
    await client.put("/w4/a").value("1");
    const latest = Number((await client.put("/w4/a").value("2").exec()).header.revision);
    await client.kv.compact({ revision: String(latest), physical: true });
    const reset = deferred<Error>();
    const recorder = new Recorder();
    const watch = watchPrefix(client, "/w4/", start + 1, { ...recorder.handlers, onReset: (error) => reset.resolve(error) });
    const error = await reset.promise;
    expect(error).toBeInstanceOf(CompactedError);
    await client.put("/w4/a").value("3");
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(recorder.events).toEqual([]);
    watch.cancel();
  });

  it("ends with onReset instead of throwing into gRPC when a handler throws", async () => {
    const reset = deferred<Error>();
    const watch = watchPrefix(client, "/w5/", (await currentRevision(client)) + 1, {
      onEvents: () => {
        throw new Error("handler broke");
      },
      onReset: (error) => reset.resolve(error),
    });
    await client.put("/w5/a").value("1");
    expect((await reset.promise).message).toBe("handler broke");
    watch.cancel();
  });
});
