/** PollOptions bound a wait: it gives up after timeoutMs, trying every intervalMs. */
export interface PollOptions {
  readonly timeoutMs?: number;
  readonly intervalMs?: number;
  /** Names what is awaited, for the error. */
  readonly what: string;
}

/**
 * eventually calls attempt until it returns a value other than undefined, and returns that value. It awaits an
 * observable condition (a DNS answer, an HTTP status) instead of sleeping a fixed time; it throws once timeoutMs has
 * passed, with the last thing attempt saw.
 */
export async function eventually<T>(attempt: () => Promise<T | undefined>, options: PollOptions): Promise<T> {
  const timeoutMs = options.timeoutMs ?? 15_000;
  const intervalMs = options.intervalMs ?? 200;
  const deadline = Date.now() + timeoutMs;
  let tries = 0;
  const maxTries = Math.ceil(timeoutMs / intervalMs) + 1;
  let lastError: unknown;
  while (tries < maxTries) {
    tries++;
    try {
      const value = await attempt();
      if (value !== undefined) return value;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() >= deadline) break;
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
  const detail = lastError instanceof Error ? `: ${lastError.message}` : "";
  throw new Error(`${options.what}: not seen within ${timeoutMs / 1000} s${detail}`);
}
