import {
  addressRecord,
  encodeRecord,
  nameRecord,
  pathFor,
  recordIdFor,
  reverseNameFor,
  SCHEMA_VERSION,
  SCHEMA_VERSION_TTL_SECONDS,
  srvRecord,
  storedRecord,
  textRecord,
  type StoredRecord,
} from "@kube-dns/msg";
import type { Etcd3 } from "etcd3";

/** clusterIpService returns the records kube2sky writes for a ClusterIP service with named ports. */
export function clusterIpService(ns: string, svc: string, ip: string, ports: Record<string, number> = {}, proto = "tcp"): StoredRecord[] {
  const name = `${svc}.${ns}.svc.cluster.local`;
  const a = storedRecord(name, addressRecord(ip));
  const id = a.key.split("/").pop()!;
  const srv = Object.entries(ports).map(([port, number]) => storedRecord(`_${port}._${proto}.${name}`, srvRecord(`${name}.`, number), undefined, id));
  return [a, ...srv, reverse(ip, `${name}.`)];
}

/** headlessService returns the records of a headless service: one A per endpoint and SRVs per named port. */
export function headlessService(ns: string, svc: string, endpoints: readonly { ip: string; hostname?: string }[], ports: Record<string, number> = {}): StoredRecord[] {
  const name = `${svc}.${ns}.svc.cluster.local`;
  const records: StoredRecord[] = [];
  for (const endpoint of endpoints) {
    const value = encodeRecord(addressRecord(endpoint.ip));
    const label = endpoint.hostname ?? recordIdFor(value);
    records.push(storedRecord(name, addressRecord(endpoint.ip), undefined, label));
    for (const [port, number] of Object.entries(ports)) {
      records.push(storedRecord(`_${port}._tcp.${name}`, srvRecord(`${label}.${name}.`, number), undefined, label));
    }
  }
  return records;
}

/** externalService returns the record of an ExternalName service. */
export function externalService(ns: string, svc: string, target: string): StoredRecord[] {
  return [storedRecord(`${svc}.${ns}.svc.cluster.local`, nameRecord(target))];
}

/** podRecord returns the A record of a pod. */
export function podRecord(ns: string, ip: string): StoredRecord {
  const dashed = ip.includes(":") ? ip.replace(/:/g, "-") : ip.replace(/\./g, "-");
  return storedRecord(`${dashed}.${ns}.pod.cluster.local`, addressRecord(ip));
}

/** reverse returns a PTR record for an IP. */
export function reverse(ip: string, target: string): StoredRecord {
  const value = encodeRecord(nameRecord(target));
  return { key: `${pathFor(reverseNameFor(ip))}/${recordIdFor(value)}`, value };
}

/** schemaVersion returns the dns-version TXT record. */
export function schemaVersion(): StoredRecord {
  return storedRecord("dns-version.cluster.local", textRecord(SCHEMA_VERSION, SCHEMA_VERSION_TTL_SECONDS));
}

/** putAll writes records in one transaction and returns its revision. */
export async function putAll(client: Etcd3, records: readonly StoredRecord[]): Promise<number> {
  let revision = 0;
  for (let at = 0; at < records.length; at += 100) {
    const ops = records.slice(at, at + 100).map((r) => ({ request_put: { key: Buffer.from(r.key), value: Buffer.from(r.value) } }));
    const response = await client.kv.txn({ compare: [], success: ops, failure: [] });
    revision = Number(response.header.revision);
  }
  return revision;
}

/** deleteAll deletes keys in one transaction and returns its revision. */
export async function deleteAll(client: Etcd3, keys: readonly string[]): Promise<number> {
  const ops = keys.map((key) => ({ request_delete_range: { key: Buffer.from(key) } }));
  const response = await client.kv.txn({ compare: [], success: ops, failure: [] });
  return Number(response.header.revision);
}
