import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type EtcdCluster, type EtcdServer, startEtcdCluster } from "@kube-dns/etcd-process";
import type { Etcd3 } from "etcd3";
import { connectEtcd, MAX_RECONNECT_BACKOFF_MS, readPrefix, watchPrefix, type PrefixWatch, type WatchEvent } from "../src/index.js";

let cluster: EtcdCluster;
let writer: Etcd3;

beforeAll(async () => {
  cluster = await startEtcdCluster({ size: 3 });
  writer = connectEtcd({ endpoints: cluster.clientUrls });
}, 60_000);

afterAll(async () => {
  writer?.close();
  await cluster?.stop();
});

/** Follower is a watch, through a client of two members, collecting the keys it delivers. */
interface Follower {
  readonly client: Etcd3;
  readonly keys: string[];
  /** until resolves once the watch delivered key, or rejects after timeoutMs. */
  until(key: string, timeoutMs?: number): Promise<void>;
  close(): void;
}

/**
 * watchOn starts a watch of prefix that is surely on `member`: its client knows `member` and `spare`, and `spare` is
 * down while the watch connects. `spare` is back before it resolves, so the watch has somewhere to move to.
 */
async function watchOn(prefix: string, member: EtcdServer, spare: EtcdServer): Promise<Follower> {
  await spare.kill();
  const client = connectEtcd({ endpoints: [member.clientUrl, spare.clientUrl] });
  const keys: string[] = [];
  const waiters = new Map<string, () => void>();
  let watch: PrefixWatch | undefined;
  const follower: Follower = {
    client,
    keys,
    until: (key, timeoutMs = 20_000) =>
      keys.includes(key)
        ? Promise.resolve()
        : new Promise((resolve, reject) => {
            const timer = setTimeout(() => reject(new Error(`${key} not delivered within ${timeoutMs} ms; got ${keys.join(" ")}`)), timeoutMs);
            waiters.set(key, () => {
              clearTimeout(timer);
              resolve();
            });
          }),
    close() {
      watch?.cancel();
      client.close();
    },
  };
  try {
    // Through put, which retries: the writer's first call may meet the member just killed.
    watch = watchPrefix(client, prefix, (await put(`${prefix}-marker`)) + 1, {
      onEvents: (events: readonly WatchEvent[]) => {
        for (const event of events) {
          keys.push(event.key);
          waiters.get(event.key)?.();
        }
      },
      onReset: (error) => {
        throw error;
      },
    });
    await put(`${prefix}before`);
    await follower.until(`${prefix}before`);
  } catch (error) {
    follower.close();
    throw error;
  } finally {
    await spare.start();
  }
  return follower;
}

// Writes a key through any member, retrying (as our programs do) while the cluster elects a leader.
async function put(key: string): Promise<number> {
  for (let attempt = 0; ; attempt++) {
    try {
      return Number((await writer.put(key).value("x").exec()).header.revision);
    } catch (error) {
      if (attempt >= 40) throw error;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }
}

// Reads the prefix n times in a row and counts the reads that failed.
async function failedReads(client: Etcd3, prefix: string, n: number): Promise<number> {
  let failed = 0;
  for (let i = 0; i < n; i++) {
    try {
      await readPrefix(client, prefix, { timeoutMs: 3000 });
    } catch {
      failed++;
    }
  }
  return failed;
}

const after = (prefix: string): string[] => [0, 1, 2, 3, 4].map((i) => `${prefix}after-${i}`);

describe("a client of several members", () => {
  it("moves its reads and its watch to another member when its member is SIGKILLed, skipping no revision", async () => {
    const leader = await cluster.leader();
    const [member, spare] = cluster.members.filter((m) => m !== leader) as [EtcdServer, EtcdServer];
    const follower = await watchOn("/m1/", member, spare);
    try {
      // The client dialled the spare while it was down: it dials it again within gRPC's reconnect backoff. Until then
      // the spare refuses at once, and with both members out of reach no read could succeed.
      await new Promise((resolve) => setTimeout(resolve, MAX_RECONNECT_BACKOFF_MS * 1.2 + 300));
      await member.kill();
      // A read that meets the dead member is asked again of the other, and the client keeps away from the dead one.
      expect(await failedReads(follower.client, "/m1/", 30)).toBe(0);
      for (const key of after("/m1/")) await put(key);
      await follower.until("/m1/after-4");
      expect(follower.keys).toEqual(["/m1/before", ...after("/m1/")]);
    } finally {
      follower.close();
      await member.start();
    }
  }, 60_000);

  it("asks another member again when a read meets a dead one: a fresh client's first read succeeds", async () => {
    const leader = await cluster.leader();
    const [dead, live] = cluster.members.filter((m) => m !== leader) as [EtcdServer, EtcdServer];
    await put("/m4/key");
    await dead.kill();
    try {
      // The library picks a member at random: without the read's own retry about half of these would fail.
      for (let i = 0; i < 10; i++) {
        const client = connectEtcd({ endpoints: [dead.clientUrl, live.clientUrl] });
        try {
          expect((await readPrefix(client, "/m4/", { timeoutMs: 3000 })).entries.map((e) => e.key)).toEqual(["/m4/key"]);
        } finally {
          client.close();
        }
      }
    } finally {
      await dead.start();
    }
  }, 60_000);

  it("follows a leader change: its member, the leader, SIGKILLed; the watch moves on after the election and skips nothing", async () => {
    const leader = await cluster.leader();
    const spare = cluster.members.find((m) => m !== leader) as EtcdServer;
    const follower = await watchOn("/m2/", leader, spare);
    try {
      await leader.kill();
      for (const key of after("/m2/")) await put(key);
      await follower.until("/m2/after-4");
      expect(follower.keys).toEqual(["/m2/before", ...after("/m2/")]);
      // Once the others have elected a leader, reads go through again and keep going through.
      await expect.poll(() => failedReads(follower.client, "/m2/", 1), { timeout: 10_000, interval: 100 }).toBe(0);
      expect(await failedReads(follower.client, "/m2/", 30)).toBeLessThanOrEqual(1);
      expect(await cluster.leader()).not.toBe(leader);
    } finally {
      follower.close();
      await leader.start();
    }
  }, 60_000);

  it("moves its watch off a member that stops answering without closing anything (SIGSTOP), within the keepalive", async () => {
    const leader = await cluster.leader();
    const [member, spare] = cluster.members.filter((m) => m !== leader) as [EtcdServer, EtcdServer];
    const follower = await watchOn("/m3/", member, spare);
    const stoppedAt = Date.now();
    process.kill(member.pid, "SIGSTOP");
    try {
      const others = connectEtcd({ endpoints: [leader.clientUrl, spare.clientUrl] });
      try {
        await others.put("/m3/while-stopped").value("x");
      } finally {
        others.close();
      }
      // The keepalive (10 s, then 5 s for the answer) finds the connection dead; no TCP reset ever comes.
      await follower.until("/m3/while-stopped", 30_000);
      expect(Date.now() - stoppedAt).toBeLessThan(25_000);
      expect(follower.keys).toEqual(["/m3/before", "/m3/while-stopped"]);
    } finally {
      process.kill(member.pid, "SIGCONT");
      follower.close();
    }
  }, 60_000);
});
