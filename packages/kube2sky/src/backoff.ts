/** Backoff yields exponentially growing delays, capped, with jitter, and starts over on reset(). */
export class Backoff {
  private attempt = 0;

  constructor(
    private readonly initialMs = 100,
    private readonly maxMs = 10_000,
    private readonly random: () => number = Math.random,
  ) {}

  /** next returns the delay before the next retry: initial x 2^n, capped, then jittered to 50-100 %. */
  next(): number {
    const base = Math.min(this.maxMs, this.initialMs * 2 ** Math.min(this.attempt, 30));
    this.attempt++;
    return Math.round(base * (0.5 + this.random() / 2));
  }

  reset(): void {
    this.attempt = 0;
  }
}
