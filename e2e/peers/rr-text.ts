import type { Answer } from "dns-packet";

// The fields each record type is compared on, as CoreDNS's test.Section compares them (plugin/test/helpers.go): the
// owner name (letter case included), the type and the data, but not the TTL, and of an SOA only the MNAME.

const fqdn = (name: string): string => (name.endsWith(".") ? name : `${name}.`);

/** canonicalOf turns a decoded record into `owner TYPE data`, the form expected records are compared in. */
export function canonicalOf(record: Answer): string {
  const name = fqdn(record.name);
  switch (record.type) {
    case "A":
    case "AAAA":
      return `${name} ${record.type} ${record.data}`;
    case "CNAME":
    case "PTR":
    case "NS":
      return `${name} ${record.type} ${fqdn(record.data)}`;
    case "SRV":
      return `${name} SRV ${record.data.priority ?? 0} ${record.data.weight ?? 0} ${record.data.port} ${fqdn(record.data.target)}`;
    case "SOA":
      return `${name} SOA ${fqdn(record.data.mname)}`;
    case "TXT": {
      const parts = Array.isArray(record.data) ? record.data : [record.data];
      return `${name} TXT ${parts.map((p) => (typeof p === "string" ? p : Buffer.from(p).toString("utf8"))).join("")}`;
    }
    case "HINFO":
      return `${name} HINFO ${record.data.cpu} ${record.data.os}`;
    default:
      return `${name} ${record.type}`;
  }
}

/**
 * canonicalText turns a record written the way the peers write them (`svc1.testns.svc.cluster.local. 5 IN A 10.0.0.1`,
 * CoreDNS's test.A(...) strings and the spec's examples alike) into the same form as canonicalOf.
 */
export function canonicalText(text: string): string {
  const [name, , , type, ...data] = text.trim().split(/\s+/);
  if (name === undefined || type === undefined) throw new Error(`not a record: ${text}`);
  const owner = fqdn(name);
  switch (type) {
    case "CNAME":
    case "PTR":
    case "NS":
      return `${owner} ${type} ${fqdn(data[0] ?? "")}`;
    case "SRV":
      return `${owner} SRV ${data.slice(0, 3).join(" ")} ${fqdn(data[3] ?? "")}`;
    case "SOA":
      return `${owner} SOA ${fqdn(data[0] ?? "")}`;
    case "TXT":
      return `${owner} TXT ${data.join(" ").replace(/"/g, "")}`;
    default:
      return `${owner} ${type} ${data.join(" ")}`;
  }
}
