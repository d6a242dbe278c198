import { isIP } from "node:net";
import {
  addressRecord,
  encodeRecord,
  isValidName,
  nameRecord,
  normalizeName,
  podLabel,
  recordIdFor,
  reverseNameFor,
  SCHEMA_VERSION,
  SCHEMA_VERSION_TTL_SECONDS,
  srvRecord,
  storedRecord,
  textRecord,
} from "@kube-dns/msg";
import type { EndpointGroup, Pod, Port, Service } from "./objects.js";

/** RecordSet is the records one owner should have in etcd (key -> exact JSON), and why anything was left out. */
export interface RecordSet {
  readonly records: ReadonlyMap<string, string>;
  readonly skipped: readonly string[];
}

// RFC 1123 section 2.1 label, as Kubernetes validates hostnames (IsDNS1123Label).
const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;
// Kubernetes port names are IANA service names: lowercase letters, digits and hyphens (IsValidPortName).
const PORT_NAME = /^[a-z0-9]([-a-z0-9]{0,13}[a-z0-9])?$/;

/**
 * serviceRecords returns every record of one service: A/AAAA and PTR per cluster IP and SRV per named port
 * (spec 2.3), or per ready endpoint for a headless service (spec 2.4), or the CNAME-style record of an
 * ExternalName service (spec 2.5). Bad data skips the service (or the one port) and says why; it never throws.
 */
export function serviceRecords(service: Service, groups: readonly EndpointGroup[], zone: string, prefix?: string): RecordSet {
  const records = new Map<string, string>();
  const skipped: string[] = [];
  try {
    if (!DNS1123_LABEL.test(service.namespace) || !DNS1123_LABEL.test(service.name)) {
      return skip(`service ${JSON.stringify(`${service.namespace}/${service.name}`)} has a name that is not a DNS label`);
    }
    const serviceName = normalizeName(`${service.name}.${service.namespace}.svc.${zone}`);
    const put = (r: { key: string; value: string }): void => void records.set(r.key, r.value);
    if (service.type === "ExternalName") {
      const target = service.externalName;
      if (target === "" || isIP(target) !== 0 || !isValidName(target)) {
        return skip(`ExternalName ${JSON.stringify(target)} is not a DNS name`);
      }
      put(storedRecord(serviceName, nameRecord(normalizeName(target)), prefix));
      return { records, skipped };
    }
    const ips = service.clusterIPs;
    if (ips.length === 0 || ips[0] === "") return skip("service has no cluster IP");
    if (ips[0] === "None") {
      headlessRecords(serviceName, service.publishNotReadyAddresses, groups, put, skipped, prefix);
      return { records, skipped };
    }
    const bad = ips.find((ip) => isIP(ip) === 0);
    if (bad !== undefined) return skip(`cluster IP ${JSON.stringify(bad)} is not an IP address`);
    let primaryId = "";
    for (const ip of ips) {
      const address = storedRecord(serviceName, addressRecord(ip), prefix);
      put(address);
      primaryId ||= address.key.slice(address.key.lastIndexOf("/") + 1);
      put(storedRecord(reverseNameFor(ip), nameRecord(serviceName), prefix)); // spec 2.3.3
    }
    // One SRV per named port, keyed by the first cluster IP's id as v1.2 did; unnamed ports get none (spec 2.3.2).
    for (const port of namedPorts(service.ports, skipped)) {
      put(storedRecord(srvOwner(port, serviceName), srvRecord(serviceName, port.port), prefix, primaryId));
    }
    return { records, skipped };
  } catch (error) {
    return skip(`records not buildable: ${(error as Error).message}`);
  }

  function skip(reason: string): RecordSet {
    return { records: new Map(), skipped: [...skipped, reason] };
  }
}

function headlessRecords(
  serviceName: string,
  publishNotReady: boolean,
  groups: readonly EndpointGroup[],
  put: (r: { key: string; value: string }) => void,
  skipped: string[],
  prefix: string | undefined,
): void {
  // label -> the IPs it carries, whether it is a real hostname, and the named ports of its groups.
  const labels = new Map<string, { ips: Set<string>; hostname: boolean; ports: Map<string, Port> }>();
  for (const group of groups) {
    const ports = namedPorts(group.ports, skipped);
    for (const endpoint of group.endpoints) {
      // Spec 2.4.1: only ready endpoints, unless the service publishes not-ready addresses.
      if (!endpoint.ready && !publishNotReady) continue;
      for (const ip of endpoint.addresses) {
        if (isIP(ip) === 0) {
          skipped.push(`endpoint address ${JSON.stringify(ip)} in ${group.source} is not an IP address`);
          continue;
        }
        const hostname = DNS1123_LABEL.test(endpoint.hostname);
        const label = hostname ? endpoint.hostname : recordIdFor(encodeRecord(addressRecord(ip)));
        const entry = labels.get(label) ?? { ips: new Set<string>(), hostname, ports: new Map<string, Port>() };
        entry.ips.add(ip);
        for (const port of ports) entry.ports.set(`${port.protocol}/${port.name}/${port.port}`, port);
        labels.set(label, entry);
      }
    }
  }
  for (const [label, entry] of labels) {
    const target = `${label}.${serviceName}`;
    for (const ip of entry.ips) {
      // v1.2's layout puts the endpoint's one address at <svc>/<label>, a record of both the service name and
      // <label>.<svc>. A hostname that carries several addresses (dual-stack) cannot share one key, so each address
      // gets <svc>/<label>/<id> for the hostname and <svc>/<id> for the service name (skydns reads one level deep).
      if (entry.ips.size === 1) {
        put(storedRecord(serviceName, addressRecord(ip), prefix, label));
      } else {
        put(storedRecord(target, addressRecord(ip), prefix));
        put(storedRecord(serviceName, addressRecord(ip), prefix));
      }
      // Spec 2.4.3: every ready endpoint's address maps back to <hostname>.<svc>, the hostname being the endpoint's own
      // or the system-assigned identifier its A record already carries (spec 2.1).
      put(storedRecord(reverseNameFor(ip), nameRecord(target), prefix));
    }
    for (const port of entry.ports.values()) {
      put(storedRecord(srvOwner(port, serviceName), srvRecord(target, port.port), prefix, label)); // spec 2.4.2
    }
  }
}

function namedPorts(ports: readonly Port[], skipped: string[]): Port[] {
  const named: Port[] = [];
  for (const port of ports) {
    if (port.name === "") continue;
    if (!PORT_NAME.test(port.name) || !/^[a-z]+$/i.test(port.protocol) || !(port.port > 0 && port.port <= 0xffff)) {
      skipped.push(`port ${JSON.stringify(port)} is not a valid named port; no SRV record for it`);
      continue;
    }
    named.push(port);
  }
  return named;
}

// Spec 2.3.2: `_<port>._<proto>.<svc>...`, protocol lowercased.
function srvOwner(port: Port, serviceName: string): string {
  return `_${port.name}._${port.protocol.toLowerCase()}.${serviceName}`;
}

/**
 * podRecords returns the record `<a-b-c-d>.<ns>.pod.<zone>` for one pod IP in one namespace. It takes every pod
 * holding that IP (hostNetwork pods share one), so one pod's deletion cannot remove the others' record
 * (v1.2 deleted it with the first of them); no pods means no record.
 */
export function podRecords(namespace: string, ip: string, pods: readonly Pod[], zone: string, prefix?: string): RecordSet {
  if (pods.length === 0) return { records: new Map(), skipped: [] };
  if (isIP(ip) === 0 || !DNS1123_LABEL.test(namespace)) {
    return { records: new Map(), skipped: [`pod IP ${JSON.stringify(ip)} in ${JSON.stringify(namespace)} is not usable`] };
  }
  const record = storedRecord(`${podLabel(ip)}.${namespace}.pod.${zone}`, addressRecord(ip), prefix);
  return { records: new Map([[record.key, record.value]]), skipped: [] };
}

/** schemaRecords returns the `dns-version.<zone>` TXT record (spec 2.2). */
export function schemaRecords(zone: string, prefix?: string): RecordSet {
  const record = storedRecord(`dns-version.${zone}`, textRecord(SCHEMA_VERSION, SCHEMA_VERSION_TTL_SECONDS), prefix);
  return { records: new Map([[record.key, record.value]]), skipped: [] };
}
