import type { Logger } from "@kube-dns/log";
import { NO_DNS_CONFIG, parseDnsConfig, type DnsConfig, type Served } from "./dns-config.js";
import type { Routes } from "./routes.js";
import type { Stats } from "./stats.js";
import type { Zones } from "./zone.js";

/** LiveConfigOptions are the parts a config value changes, and whom to tell. */
export interface LiveConfigOptions {
  readonly key: string;
  readonly served: Served;
  readonly routes: Routes;
  readonly zones: Zones;
  readonly stats: Stats;
  readonly log: Logger;
  /** Called after a config has been applied (the prepared replies no longer hold). */
  readonly onApplied: () => void;
}

/**
 * LiveConfig applies the config key's values as the watch delivers them: a value that validates replaces the stub
 * domains, nameservers and extra zones in one step; one that does not is refused whole (logged once, counted) and the
 * last good config stays; no key means the flags alone.
 */
export class LiveConfig {
  /** The etcd revision of the value in force; 0 for none. */
  revision = 0;
  private lastRaw: string | undefined;

  constructor(private readonly options: LiveConfigOptions) {}

  /** update takes the key's value (undefined: deleted or absent) as of modRevision. */
  update(raw: string | undefined, modRevision: number): void {
    // A reload re-reads an unchanged key: applying or refusing it again would only churn and log.
    if (raw === this.lastRaw) return;
    this.lastRaw = raw;
    const { key, log } = this.options;
    if (raw === undefined) {
      this.apply(NO_DNS_CONFIG, 0);
      log.info({ key }, "config key gone; back to the flags");
      return;
    }
    const parsed = parseDnsConfig(raw, this.options.served);
    if (!parsed.ok) {
      this.options.stats.configRefused++;
      log.warn({ key, revision: modRevision, reason: parsed.error }, "refusing the config value; the last good config stays");
      return;
    }
    this.apply(parsed.config, modRevision);
    const { stubDomains, zones, nameservers } = parsed.config;
    log.info({ key, revision: modRevision, stubDomains: stubDomains.map((s) => s.domain), zones, nameservers: nameservers?.length }, "applied the config");
  }

  private apply(config: DnsConfig, revision: number): void {
    this.options.routes.apply(config);
    this.options.zones.setExtra([...this.options.served.flagZones, ...config.zones]);
    this.revision = revision;
    this.options.onApplied();
  }
}
