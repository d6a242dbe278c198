import { formatIPv4, parseIPv4, type Cidr } from "./cidr.js";

/** MAX_RANGE_ADDRESSES bounds a bitmap's memory: a /8, two megabytes of bits. */
export const MAX_RANGE_ADDRESSES = 2 ** 24;

/** HOLD_MS is how long an address handed out stays out of the running while no claim of it has been seen. */
export const HOLD_MS = 30_000;

/**
 * MAX_HOLDS caps the addresses held at once (one per create in flight, or whose claim the watch has not shown yet).
 * Past it the oldest hold goes first: the likeliest to be claimed and seen already, and at worst re-picked, which
 * costs one failed transaction and a retry.
 */
export const MAX_HOLDS = 10_000;

const FULL_WORD = 0xffffffff;

/**
 * AddressBitmap knows which addresses of a range are claimed, one bit each, as the claim keys in etcd say (a paged
 * read, then a watch), and holds the addresses it handed out until a claim of them shows or HOLD_MS passes, so two
 * creates in flight are not handed the same one. It only suggests: the create transaction's compare on the claim key
 * decides, so a stale bit or a lost hold costs a retry, never an address given twice.
 */
export class AddressBitmap {
  private bits: Uint32Array;
  // Offset -> when the hold ends. Every hold lasts HOLD_MS, so insertion order is expiry order.
  private readonly holds = new Map<number, number>();

  constructor(
    readonly range: Cidr,
    /** The first addresses of the range, handed out only when the rest is taken (the static band of a service range). */
    private readonly reservedLow = 0,
    /** Told each time a hold is dropped early because MAX_HOLDS were held. */
    private readonly onHoldDropped: () => void = () => undefined,
  ) {
    if (range.size > MAX_RANGE_ADDRESSES) throw new Error(`the range ${range.text} is too large: at most ${MAX_RANGE_ADDRESSES} addresses (a /8)`);
    this.bits = new Uint32Array(Math.ceil(range.size / 32));
  }

  /** load replaces every bit with the claimed addresses given (a fresh read of the claim keys); holds stay. */
  load(claimed: Iterable<string>): void {
    const bits = new Uint32Array(this.bits.length);
    for (const ip of claimed) {
      const offset = this.offsetOf(ip);
      if (offset !== undefined) bits[offset >>> 5]! |= 1 << (offset & 31);
    }
    this.bits = bits;
  }

  /** claim marks an address claimed (a claim key was written) and ends its hold. Addresses outside the range are ignored. */
  claim(ip: string): void {
    const offset = this.offsetOf(ip);
    if (offset === undefined) return;
    this.bits[offset >>> 5]! |= 1 << (offset & 31);
    this.holds.delete(offset);
  }

  /** release marks an address free (its claim key was deleted) and ends its hold. */
  release(ip: string): void {
    const offset = this.offsetOf(ip);
    if (offset === undefined) return;
    this.bits[offset >>> 5]! &= ~(1 << (offset & 31));
    this.holds.delete(offset);
  }

  /** isClaimed tells whether an address is known to be claimed. */
  isClaimed(ip: string): boolean {
    const offset = this.offsetOf(ip);
    return offset !== undefined && this.isSet(offset);
  }

  /**
   * pick hands out an assignable address that is neither claimed nor held, and holds it: the first such after a random
   * start (kube-apiserver's random-scan allocation), outside the reserved low addresses while any is free there.
   * undefined when the range is full. Cost: one random draw and, in a range that is not nearly full, a few bit tests;
   * at worst a pass over the range's words, never a read of etcd.
   */
  pick(random: () => number = Math.random, now: number = Date.now()): string | undefined {
    this.expireHolds(now);
    // The network and broadcast addresses are not assignable.
    const first = 1;
    const last = this.range.size - 2;
    const upperFirst = Math.max(first, this.reservedLow);
    const offset = this.pickIn(upperFirst, last, random) ?? this.pickIn(first, Math.min(upperFirst - 1, last), random);
    if (offset === undefined) return undefined;
    this.hold(offset, now);
    return formatIPv4(this.range.base + offset);
  }

  private pickIn(first: number, last: number, random: () => number): number | undefined {
    if (last < first) return undefined;
    const start = first + Math.floor(random() * (last - first + 1));
    return this.firstFree(start, last) ?? this.firstFree(first, start - 1);
  }

  private firstFree(from: number, to: number): number | undefined {
    for (let offset = from; offset <= to; ) {
      if (this.bits[offset >>> 5] === FULL_WORD) {
        offset = ((offset >>> 5) + 1) << 5; // 32 claimed addresses skipped at once
        continue;
      }
      if (!this.isSet(offset) && !this.holds.has(offset)) return offset;
      offset++;
    }
    return undefined;
  }

  private hold(offset: number, now: number): void {
    this.holds.delete(offset); // re-inserted at the end, where the newest holds are
    this.holds.set(offset, now + HOLD_MS);
    if (this.holds.size <= MAX_HOLDS) return;
    const oldest = this.holds.keys().next().value as number;
    this.holds.delete(oldest);
    this.onHoldDropped();
  }

  private expireHolds(now: number): void {
    for (const [offset, until] of this.holds) {
      if (until > now) return;
      this.holds.delete(offset);
    }
  }

  private isSet(offset: number): boolean {
    return ((this.bits[offset >>> 5]! >>> (offset & 31)) & 1) === 1;
  }

  private offsetOf(ip: string): number | undefined {
    const value = parseIPv4(ip);
    if (value === undefined) return undefined;
    const offset = value - this.range.base;
    return offset >= 0 && offset < this.range.size ? offset : undefined;
  }
}
