/**
 * eventually runs probe until it returns without throwing and resolves with its result; past the deadline it
 * rethrows the probe's last failure. The pause between tries only paces the polling: the probe is the assertion.
 */
export async function eventually<T>(probe: () => Promise<T>, timeoutMs = 10_000, intervalMs = 50): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await probe();
    } catch (error) {
      if (Date.now() >= deadline) throw error;
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}
