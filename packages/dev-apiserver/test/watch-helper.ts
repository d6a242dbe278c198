import type { ApiBody } from "./harness.js";

/** WatchEvent is one decoded line of a watch stream. */
export interface WatchEvent {
  type: "ADDED" | "MODIFIED" | "DELETED" | "BOOKMARK" | "ERROR";
  object: ApiBody;
}

/**
 * collectWatch opens a watch at url (a full URL with ?watch=true) and resolves with every event up to and
 * including the first one `until` accepts; it rejects after timeoutMs or when the stream ends first.
 */
export async function collectWatch(url: string, until: (event: WatchEvent, all: WatchEvent[]) => boolean, timeoutMs = 10_000, headers: Record<string, string> = {}): Promise<WatchEvent[]> {
  const abort = new AbortController();
  const timer = setTimeout(() => abort.abort(new Error(`watch ${url}: condition not met within ${timeoutMs} ms`)), timeoutMs);
  const events: WatchEvent[] = [];
  try {
    const response = await fetch(url, { signal: abort.signal, headers });
    if (response.status !== 200 || response.body === null) throw new Error(`watch ${url}: HTTP ${response.status} ${await response.text()}`);
    const decoder = new TextDecoder();
    let buffered = "";
    for await (const chunk of response.body) {
      buffered += decoder.decode(chunk as Uint8Array, { stream: true });
      let newline: number;
      while ((newline = buffered.indexOf("\n")) >= 0) {
        const event = JSON.parse(buffered.slice(0, newline)) as WatchEvent;
        buffered = buffered.slice(newline + 1);
        events.push(event);
        if (until(event, events)) return events;
      }
    }
    throw new Error(`watch ${url} ended before the condition was met; saw ${JSON.stringify(events.map((e) => e.type))}`);
  } finally {
    clearTimeout(timer);
    abort.abort();
  }
}
