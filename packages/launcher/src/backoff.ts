/** BackoffOptions shape the restart delays, in the kubelet's terms. */
export interface BackoffOptions {
  /** The first delay; the kubelet's is 10s. */
  readonly baseMs: number;
  /** The longest delay; the kubelet's is 5m. */
  readonly capMs: number;
  /** A child that ran this long starts its back-off over; twice the cap unless given, as the kubelet does. */
  readonly resetAfterMs?: number;
}

/** KUBELET_BACKOFF is the kubelet's crash-loop back-off: 10s doubling up to 5m. */
export const KUBELET_BACKOFF: BackoffOptions = Object.freeze({ baseMs: 10_000, capMs: 300_000 });

/**
 * restartDelayMs is how long to wait before restart number `step` (0 for the first restart since the
 * child last ran well): 0, then base, 2 x base, 4 x base ... up to cap. The kubelet restarts the first crash at
 * once, and then backs off ("back-off 10s restarting failed container", then 20s, 40s and so on).
 */
export function restartDelayMs(step: number, options: BackoffOptions): number {
  if (step <= 0) return 0;
  return Math.min(options.capMs, options.baseMs * 2 ** Math.min(step - 1, 30));
}

/**
 * ranLongEnough tells whether a child ran long enough to forget its back-off. The kubelet drops a back-off entry
 * that has not been touched for twice the cap (10 minutes).
 */
export function ranLongEnough(ranMs: number, options: BackoffOptions): boolean {
  return ranMs >= (options.resetAfterMs ?? 2 * options.capMs);
}
