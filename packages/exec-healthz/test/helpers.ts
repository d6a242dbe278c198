import { setTimeout as delay } from "node:timers/promises";

/** until polls check (bounded: at most timeoutMs, every stepMs) until it returns a value that is not undefined. */
export async function until<T>(what: string, check: () => Promise<T | undefined> | T | undefined, timeoutMs = 10_000, stepMs = 25): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (let attempt = 0; attempt < timeoutMs / stepMs + 1; attempt++) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) break;
    await delay(stepMs);
  }
  throw new Error(`timed out waiting for ${what}`);
}

/** HttpAnswer is a status and a text body. */
export interface HttpAnswer {
  readonly status: number;
  readonly body: string;
  readonly contentType: string;
}

/** get fetches url over loopback and reads the body as text. */
export async function get(url: string, method = "GET"): Promise<HttpAnswer> {
  const response = await fetch(url, { method, signal: AbortSignal.timeout(5000) });
  return { status: response.status, body: await response.text(), contentType: response.headers.get("content-type") ?? "" };
}
