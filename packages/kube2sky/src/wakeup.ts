/**
 * Wakeup lets a worker loop sleep until there is work: wait() resolves at the next poke(). A poke with no one waiting
 * is dropped, so a loop checks its state before it waits, in the same turn.
 */
export class Wakeup {
  private wake: (() => void) | undefined;

  /** wait resolves at the next poke(). */
  wait(): Promise<void> {
    return new Promise((resolve) => (this.wake = resolve));
  }

  /** poke ends the wait in progress, if any. */
  poke(): void {
    const wake = this.wake;
    this.wake = undefined;
    wake?.();
  }
}
