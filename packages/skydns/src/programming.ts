import { parseProgrammed, type ProgrammedChange } from "@kube-dns/msg";
import { Buckets } from "./buckets.js";

/** RECENT_CHANGES_CAP bounds the recent changes kept for /changes: the oldest goes first. */
export const RECENT_CHANGES_CAP = 50;

/** PROGRAMMING_BUCKETS are 1 ms doubling to about 33 s, as kube2sky's programming histograms. */
export const PROGRAMMING_BUCKETS: readonly number[] = Array.from({ length: 16 }, (_, i) => 0.001 * 2 ** i);

/** RecentChange is one watch event of kube2sky with every hop this skydns can tell: kube2sky's times, and when the index had it. */
export interface RecentChange extends ProgrammedChange {
  /** When kube2sky sent the transaction carrying the event's records (milliseconds, kube2sky's clock). */
  readonly sentAt: number;
  /** When this skydns's index held those records (milliseconds, this skydns's clock). */
  readonly indexedAt: number;
}

/**
 * Programming times the last hop of DNS programming: from kube2sky sending a transaction to this skydns's index
 * holding it, read from the programmed key that rides in the transaction. One observation per transaction. kube2sky's
 * clock against ours: the same clock in one pod, and only as good as the hosts' clock sync across machines; a value
 * below 0 counts as 0. It keeps the last RECENT_CHANGES_CAP events for the status page.
 */
export class Programming {
  readonly sentToIndexed = new Buckets(PROGRAMMING_BUCKETS);
  /** Values of the programmed key that could not be read. */
  refused = 0;
  private readonly ring: RecentChange[] = [];

  /** observe takes a new value of the programmed key, the index holding its revision at indexedAt. */
  observe(raw: string, indexedAt: number): void {
    const value = parseProgrammed(raw);
    if (value === undefined) {
      this.refused++;
      return;
    }
    this.sentToIndexed.observe(Math.max(0, indexedAt - value.sentAt) / 1000);
    for (const change of value.changes) {
      this.ring.push({ ...change, sentAt: value.sentAt, indexedAt });
      if (this.ring.length > RECENT_CHANGES_CAP) this.ring.shift();
    }
  }

  /** recent lists the changes kept, newest first. */
  recent(): RecentChange[] {
    return [...this.ring].reverse();
  }
}
