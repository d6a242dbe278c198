import { readPages, watchPrefix, type PrefixWatch } from "@kube-dns/etcd-feed";
import type { Logger } from "@kube-dns/log";
import type { Etcd3 } from "etcd3";
import { AddressBitmap } from "./address-bitmap.js";
import type { Cidr } from "./cidr.js";

/** AddressPicker hands out an address that looks free, or undefined when its range is full. */
export interface AddressPicker {
  pick(): string | undefined;
}

/** AddressAllocatorDeps say which range to allocate from and where its claim keys live. */
export interface AddressAllocatorDeps {
  readonly client: Etcd3;
  readonly log: Logger;
  /** The etcd prefix with one key per claimed address: `/registry/ranges/serviceips/`. */
  readonly claimPrefix: string;
  readonly range: Cidr;
  /** Low addresses handed out last (the static band of a service range). */
  readonly reservedLow?: number;
  readonly onHoldDropped?: () => void;
  /** First delay before a failed reload is tried again, doubling to 30 s; 1 s by default. */
  readonly retryMs?: number;
}

// Keys only, some 50 bytes each: a page of ten thousand is half a megabyte, and 65,534 claims take seven pages.
const CLAIM_PAGE_KEYS = 10_000;
const MAX_RETRY_MS = 30_000;

/**
 * AddressAllocator picks addresses of one range from an in-memory bitmap of its claim keys, so a create costs no
 * read that grows with the cluster (kube-apiserver keeps a bitmap too). It reads the claim keys once, in pages at one
 * revision, then follows them with a watch from the next revision; when the watch cannot go on (compacted history)
 * it reads them again, serving from the old bitmap meanwhile. The bitmap is only a hint: the claim key, created in
 * the same transaction as the object with a compare on its version, is what keeps an address from going twice,
 * also between API servers sharing one etcd.
 */
export class AddressAllocator implements AddressPicker {
  private readonly bitmap: AddressBitmap;
  private watch: PrefixWatch | undefined;
  private retry: NodeJS.Timeout | undefined;
  private retryMs: number;
  private stopped = false;

  constructor(private readonly deps: AddressAllocatorDeps) {
    this.bitmap = new AddressBitmap(deps.range, deps.reservedLow ?? 0, deps.onHoldDropped);
    this.retryMs = deps.retryMs ?? 1000;
  }

  /** start reads the claim keys and starts the watch; it fails when etcd cannot be read. */
  start(): Promise<void> {
    return this.load();
  }

  /** stop ends the watch and any planned reload. */
  stop(): void {
    this.stopped = true;
    clearTimeout(this.retry);
    this.watch?.cancel();
  }

  /** pick hands out an address that is neither claimed nor held, and holds it; undefined when the range is full. */
  pick(): string | undefined {
    return this.bitmap.pick();
  }

  private async load(): Promise<void> {
    const { client, claimPrefix } = this.deps;
    this.watch?.cancel();
    this.watch = undefined;
    const claimed: string[] = [];
    let revision = 0;
    for await (const page of readPages(client, claimPrefix, { keysOnly: true, pageKeys: CLAIM_PAGE_KEYS })) {
      revision = page.revision;
      for (const entry of page.entries) claimed.push(entry.key.slice(claimPrefix.length));
    }
    if (this.stopped) return;
    this.bitmap.load(claimed);
    this.watch = watchPrefix(client, claimPrefix, revision + 1, {
      onEvents: (events) => {
        for (const event of events) {
          const ip = event.key.slice(claimPrefix.length);
          if (event.type === "put") this.bitmap.claim(ip);
          else this.bitmap.release(ip);
        }
      },
      onReset: (error) => {
        this.deps.log.warn({ err: error, prefix: claimPrefix }, "address claims watch ended; reading the claims again");
        this.reloadLater();
      },
    });
    this.retryMs = this.deps.retryMs ?? 1000;
  }

  private reloadLater(): void {
    if (this.stopped || this.retry !== undefined) return;
    this.retry = setTimeout(() => {
      this.retry = undefined;
      if (this.stopped) return;
      this.load().catch((error: unknown) => {
        this.deps.log.warn({ err: error, prefix: this.deps.claimPrefix }, "reading the address claims failed; trying again");
        this.retryMs = Math.min(this.retryMs * 2, MAX_RETRY_MS);
        this.reloadLater();
      });
    }, this.retryMs);
  }
}
