/** ChurnedService is a service the churn created and has not deleted (yet). */
export interface ChurnedService {
  readonly name: string;
  readonly clusterIP: string;
}

/** How many churned services live at most; past it the churn deletes more than it creates. */
const MAX_LIVE = 20;

/**
 * Churn creates, updates (a named port added or removed: the SRV records change) and deletes services through the
 * API server, one change every intervalMs, in a namespace of its own, until paused or stopped. It counts the changes
 * the API server accepted. pause() resolves once the change in flight is done, so the API holds still.
 */
export class Churn {
  changes = 0;
  private readonly live = new Map<string, ChurnedService>();
  private next = 0;
  private paused = true;
  private stopped = false;
  private loop: Promise<void> | undefined;
  private idle: (() => void) | undefined;

  constructor(
    private readonly apiserverUrl: string,
    readonly namespace: string,
    private readonly intervalMs = 100,
  ) {}

  /** resume starts (or restarts) the changes. */
  resume(): void {
    this.paused = false;
    this.loop ??= this.run();
  }

  /** pause stops the changes and resolves once none is in flight. */
  async pause(): Promise<void> {
    this.paused = true;
    if (this.loop === undefined) return;
    await new Promise<void>((resolve) => (this.idle = resolve));
  }

  /** stop ends the loop for good. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.paused = true;
    await this.loop;
  }

  /** created is how many services the churn has created: `churn-0` to `churn-(created - 1)`. */
  get created(): number {
    return this.next;
  }

  /** services lists the churned services alive now. */
  services(): ChurnedService[] {
    return [...this.live.values()];
  }

  private async run(): Promise<void> {
    while (!this.stopped) {
      if (this.paused) {
        this.idle?.();
        this.idle = undefined;
        await new Promise((resolve) => setTimeout(resolve, 20));
        continue;
      }
      await this.change().catch(() => undefined); // a refused change is simply not counted
      await new Promise((resolve) => setTimeout(resolve, this.intervalMs));
    }
    this.idle?.();
  }

  private async change(): Promise<void> {
    const names = [...this.live.keys()];
    const roll = Math.random();
    if (names.length === 0 || (roll < 0.4 && names.length < MAX_LIVE)) return this.create();
    const name = names[Math.floor(Math.random() * names.length)] as string;
    if (roll < 0.75) return this.update(name);
    await this.request("DELETE", `/api/v1/namespaces/${this.namespace}/services/${name}`);
    this.live.delete(name);
  }

  private async create(): Promise<void> {
    const name = `churn-${this.next++}`;
    const body = { apiVersion: "v1", kind: "Service", metadata: { name }, spec: { ports: [{ name: "http", port: 80 }] } };
    const created = (await this.request("POST", `/api/v1/namespaces/${this.namespace}/services`, body)) as { spec?: { clusterIP?: string } };
    this.live.set(name, { name, clusterIP: String(created.spec?.clusterIP) });
  }

  private async update(name: string): Promise<void> {
    const path = `/api/v1/namespaces/${this.namespace}/services/${name}`;
    const current = (await this.request("GET", path)) as { spec?: { ports?: unknown[] } };
    const ports = (current.spec?.ports?.length ?? 1) > 1 ? [{ name: "http", port: 80 }] : [{ name: "http", port: 80 }, { name: "metrics", port: 9090 }];
    await this.request("PATCH", path, { spec: { ports } }, "application/merge-patch+json");
  }

  private async request(method: string, path: string, body?: unknown, contentType = "application/json"): Promise<unknown> {
    const init: RequestInit = { method, headers: { "content-type": contentType }, signal: AbortSignal.timeout(10_000) };
    if (body !== undefined) init.body = JSON.stringify(body);
    const response = await fetch(`${this.apiserverUrl}${path}`, init);
    const text = await response.text();
    if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${text}`);
    if (method !== "GET") this.changes++;
    return JSON.parse(text) as unknown;
  }
}
