import { recordIdFor } from "./id.js";
import { keyFor } from "./name.js";
import { DEFAULT_PRIORITY, DEFAULT_TTL_SECONDS, DEFAULT_WEIGHT, encodeRecord, type SkyDNSRecord } from "./record.js";

/** The version of the Kubernetes DNS schema served at `dns-version.<zone>` (specification section 2.2). */
export const SCHEMA_VERSION = "1.1.0";
/** The TTL the specification's example gives the schema-version TXT record. */
export const SCHEMA_VERSION_TTL_SECONDS = 28800;

/** StoredRecord is a record ready to write: its full etcd key and its exact JSON value. */
export interface StoredRecord {
  readonly key: string;
  readonly value: string;
}

/** addressRecord builds the A/AAAA-style record kube2sky writes for an IP: `{"host":IP,"priority":10,...}`. */
export function addressRecord(ip: string, ttlSeconds: number = DEFAULT_TTL_SECONDS): SkyDNSRecord {
  return { host: ip, priority: DEFAULT_PRIORITY, weight: DEFAULT_WEIGHT, ttl: ttlSeconds, targetstrip: 0 };
}

/** srvRecord builds an SRV-style record: a target name (with trailing dot, as v1.2 wrote it) and a port. */
export function srvRecord(target: string, port: number, ttlSeconds: number = DEFAULT_TTL_SECONDS): SkyDNSRecord {
  return { host: withDot(target), port, priority: DEFAULT_PRIORITY, weight: DEFAULT_WEIGHT, ttl: ttlSeconds, targetstrip: 0 };
}

/** nameRecord builds a record whose host is a name: CNAME for ExternalName services, PTR under the reverse zones. */
export function nameRecord(target: string, ttlSeconds: number = DEFAULT_TTL_SECONDS): SkyDNSRecord {
  return { host: withDot(target), priority: DEFAULT_PRIORITY, weight: DEFAULT_WEIGHT, ttl: ttlSeconds, targetstrip: 0 };
}

/** textRecord builds a TXT record, such as the schema-version record. */
export function textRecord(text: string, ttlSeconds: number = DEFAULT_TTL_SECONDS): SkyDNSRecord {
  return { host: "", text, ttl: ttlSeconds, targetstrip: 0 };
}

/**
 * storedRecord places a record under its owner name. The id defaults to the record's own FNV id; SRV records
 * pass the id of their A record, as v1.2 did, so that an endpoint's A and SRV keys share one label.
 */
export function storedRecord(ownerName: string, record: SkyDNSRecord, prefix?: string, id?: string): StoredRecord {
  const value = encodeRecord(record);
  return { key: keyFor(ownerName, id ?? recordIdFor(value), prefix), value };
}

function withDot(name: string): string {
  return name.endsWith(".") ? name : name + ".";
}
