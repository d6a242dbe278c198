import { setTimeout as sleep } from "node:timers/promises";
import type { Campaign, Etcd3 } from "etcd3";
import type { Logger } from "@kube-dns/log";
import type { Fence } from "./fence.js";

/** Where the replicas of kube2sky campaign: `/kube2sky/election/leader/<lease id>` = the candidate's identity. */
export const ELECTION_PREFIX = "/kube2sky/";
const ELECTION_NAME = "leader";

/** Role is where an instance stands: campaigning with the outcome unknown, leading, or standing by behind a leader. */
export type Role = "candidate" | "leader" | "standby";

/** LeadershipOptions wire an election to its etcd client and to the part that writes. */
export interface LeadershipOptions {
  readonly client: Etcd3;
  /** The lease's time to live, in whole seconds: how long a dead leader blocks its successor at most. */
  readonly ttlSeconds: number;
  /** Who this instance is, as the election key's value shows it (host name and pid). */
  readonly identity: string;
  readonly log: Logger;
  /** Called when this instance is elected, with the fence every write of its term must carry. */
  readonly onElected: (fence: Fence) => void;
  /** Called when this instance stops leading (its lease lost, its fence refused); writes must stop. */
  readonly onDeposed: () => void;
  /** Called when the role changes, for readiness and metrics. */
  readonly onRole?: (role: Role) => void;
  /** Pause before campaigning again after a campaign failed. Default 1 s. */
  readonly retryMs?: number;
}

/**
 * Leadership runs this instance's campaign in the etcd3 library's election: a key under ELECTION_PREFIX on a lease of
 * ttlSeconds, kept alive while the process lives; the oldest key leads, and each other candidate waits for the key
 * created just before its own to go. A leader that dies stops its keepalives, etcd expires the lease and deletes the
 * key, and the next candidate is elected within the TTL. Elected, the instance reads its key's create revision: that
 * is the fence (Fence) of its term. A campaign that fails (the lease lost, etcd unreachable while campaigning) or a
 * write refused for its fence (deposed) ends the term, and the instance campaigns again after retryMs.
 */
export class Leadership {
  role: Role = "candidate";
  private campaign: Campaign | undefined;
  private stopped = false;
  private readonly stopping = new AbortController();

  constructor(private readonly options: LeadershipOptions) {}

  /** start campaigns; it never rejects. */
  start(): void {
    this.run();
  }

  /** deposed ends the term after a write was refused for its fence, and campaigns again. */
  deposed(): void {
    const campaign = this.campaign;
    if (campaign !== undefined) this.fail(campaign, new Error("a write was refused for its fence"));
  }

  /** stop ends the campaign and gives up the lease, so that a standby is elected at once rather than after the TTL. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.stopping.abort();
    const campaign = this.campaign;
    this.campaign = undefined;
    this.setRole("candidate");
    // etcd may be out of reach: the lease then expires by itself.
    await Promise.race([campaign?.resign().catch(() => undefined), sleep(2000, undefined, { ref: false })]);
  }

  private run(): void {
    if (this.stopped) return;
    const { client, ttlSeconds, identity } = this.options;
    const campaign = client.namespace(ELECTION_PREFIX).election(ELECTION_NAME, ttlSeconds).campaign(identity);
    this.campaign = campaign;
    campaign.on("elected", () => void this.elected(campaign));
    campaign.on("error", (error: Error) => this.fail(campaign, error));
    void this.settle(campaign);
  }

  // Elected: the fence is the key as it was created. Read back rather than taken from the library, which keeps it private.
  private async elected(campaign: Campaign): Promise<void> {
    try {
      const key = await campaign.getCampaignKey();
      const response = await this.options.client.kv.range({ key: Buffer.from(key) });
      const created = response.kvs[0]?.create_revision;
      if (this.campaign !== campaign) return;
      if (created === undefined) throw new Error(`the election key ${key} is gone`);
      this.setRole("leader");
      this.options.log.info({ identity: this.options.identity, key, revision: Number(created) }, "elected leader; writing to etcd");
      this.options.onElected({ key, createRevision: Number(created) });
    } catch (error) {
      this.fail(campaign, error as Error);
    }
  }

  /**
   * Tells a standby from a candidate about to lead: once its own key exists, an older key means another leads. Then it
   * keeps an eye on the campaign, once a TTL: the library waits for the predecessor's key to go with a watch of its
   * own, whose resume point after a broken stream can pass a deletion by; a campaign whose key has been the oldest at
   * two looks in a row without being elected was never told, and campaigns again.
   */
  private async settle(campaign: Campaign): Promise<void> {
    let oldestUnelected = 0;
    // A function, not a condition: TypeScript would keep what the loop's test narrowed across the awaits.
    const waiting = (): boolean => this.campaign === campaign && this.role !== "leader";
    for (let looks = 0; waiting(); looks++) {
      try {
        const key = await campaign.getCampaignKey();
        const [oldest, mine] = await Promise.all([this.oldestKey(), this.options.client.get(key).exec()]);
        if (!waiting()) return;
        if (mine.kvs.length > 0 && oldest !== undefined) {
          if (oldest.key !== key) {
            oldestUnelected = 0;
            if (this.role === "candidate") this.options.log.info({ identity: this.options.identity, leader: oldest.value }, "standing by; another instance leads");
            this.setRole("standby");
          } else if (this.patient(looks) && ++oldestUnelected >= 2) {
            return this.fail(campaign, new Error("the oldest candidate was never told it was elected"));
          }
        }
      } catch {
        // etcd out of reach: the campaign fails by itself (fail()) once its lease is lost.
      }
      // Every 100 ms at first, to say soon whether another leads; once a TTL after that.
      const pauseMs = this.patient(looks) ? this.options.ttlSeconds * 1000 : 100;
      await sleep(pauseMs, undefined, { signal: this.stopping.signal }).catch(() => undefined);
    }
  }

  // Past its first looks (a standby, or 5 s of looking): one look a TTL from now on.
  private patient(looks: number): boolean {
    return this.role === "standby" || looks >= 50;
  }

  // The key that leads: the oldest under the election's prefix.
  private async oldestKey(): Promise<{ key: string; value: string } | undefined> {
    const prefix = `${ELECTION_PREFIX}election/${ELECTION_NAME}/`;
    const kv = (await this.options.client.getAll().prefix(prefix).sort("Create", "Ascend").limit(1).exec()).kvs[0];
    return kv === undefined ? undefined : { key: kv.key.toString(), value: kv.value.toString() };
  }

  private fail(campaign: Campaign, error: Error): void {
    if (this.campaign !== campaign || this.stopped) return;
    this.campaign = undefined;
    const wasLeader = this.role === "leader";
    this.setRole("candidate");
    if (wasLeader) {
      this.options.log.warn({ err: error.message }, "lost the leadership; writes stop");
      this.options.onDeposed();
    } else this.options.log.warn({ err: error.message }, "campaign failed; campaigning again");
    void campaign.resign().catch(() => undefined);
    void sleep(this.options.retryMs ?? 1000, undefined, { signal: this.stopping.signal }).then(() => this.run(), () => undefined);
  }

  private setRole(role: Role): void {
    if (this.role === role) return;
    this.role = role;
    this.options.onRole?.(role);
  }
}
