/** The etcd prefix SkyDNS and kube2sky use unless told otherwise (skydns `-path-prefix`). */
export const DEFAULT_PREFIX = "/skydns";

const MAX_NAME_OCTETS = 255; // RFC 1035 section 2.3.4, wire form including length octets
const MAX_LABEL_OCTETS = 63; // RFC 1035 section 2.3.4
// Letters, digits, hyphen; underscore for SRV labels (RFC 2782) and `*` for SkyDNS wildcards.
// A `/` or a control byte would break the etcd key layout, so anything else is refused.
const LABEL_PATTERN = /^[a-z0-9_*-]+$/;

/** NameError says why a DNS name or etcd key could not be mapped. */
export class NameError extends Error {
  override readonly name = "NameError";
}

/**
 * normalizeName returns the canonical form of a DNS name: lowercase, with the trailing dot
 * (names are compared case-insensitively, Kubernetes DNS spec section 2.1). It throws NameError for
 * an empty label, a label over 63 octets, a name over 255 octets or a character outside [a-z0-9_*-].
 */
export function normalizeName(rawName: string): string {
  const labels = labelsOf(rawName);
  return labels.length === 0 ? "." : labels.join(".") + ".";
}

/** labelsOf splits a name into validated lowercase labels, root last-free: `a.b.` -> ["a", "b"]. */
export function labelsOf(rawName: string): string[] {
  if (typeof rawName !== "string") throw new NameError(`name must be a string, got ${typeof rawName}`);
  const lower = rawName.toLowerCase();
  if (lower === "." || lower === "") return [];
  const trimmed = lower.endsWith(".") ? lower.slice(0, -1) : lower;
  const labels = trimmed.split(".");
  let wireOctets = 1;
  for (const label of labels) {
    checkLabel(label, rawName);
    wireOctets += label.length + 1;
  }
  if (wireOctets > MAX_NAME_OCTETS) {
    throw new NameError(`name ${JSON.stringify(rawName)} is ${wireOctets} octets long, the limit is ${MAX_NAME_OCTETS}`);
  }
  return labels;
}

function checkLabel(label: string, rawName: string): void {
  if (label.length === 0) throw new NameError(`name ${JSON.stringify(rawName)} has an empty label`);
  if (label.length > MAX_LABEL_OCTETS) {
    throw new NameError(`label ${JSON.stringify(label)} in ${JSON.stringify(rawName)} is over ${MAX_LABEL_OCTETS} octets`);
  }
  if (!LABEL_PATTERN.test(label)) {
    throw new NameError(`label ${JSON.stringify(label)} in ${JSON.stringify(rawName)} has a character outside [a-z0-9_*-]`);
  }
}

/** isValidName tells whether normalizeName would accept rawName. */
export function isValidName(rawName: string): boolean {
  try {
    labelsOf(rawName);
    return true;
  } catch {
    return false;
  }
}

/**
 * pathFor maps a DNS name to its etcd directory by reversing the labels under prefix:
 * `kube-dns.kube-system.svc.cluster.local.` -> `/skydns/local/cluster/svc/kube-system/kube-dns`.
 */
export function pathFor(rawName: string, prefix: string = DEFAULT_PREFIX): string {
  const labels = labelsOf(rawName);
  return labels.length === 0 ? prefix : `${prefix}/${labels.reverse().join("/")}`;
}

/** nameFor is the inverse of pathFor: `/skydns/local/cluster/svc/default/web` -> `web.default.svc.cluster.local.`. */
export function nameFor(path: string, prefix: string = DEFAULT_PREFIX): string {
  const segments = segmentsUnder(path, prefix);
  return normalizeName(segments.reverse().join("."));
}

/** keyFor returns the etcd key of one record: the owner name's path with the record id as the last segment. */
export function keyFor(rawName: string, id: string, prefix: string = DEFAULT_PREFIX): string {
  checkLabel(id.toLowerCase(), id);
  if (id !== id.toLowerCase()) throw new NameError(`record id ${JSON.stringify(id)} must be lowercase`);
  return `${pathFor(rawName, prefix)}/${id}`;
}

/** RecordKey is an etcd record key taken apart: the DNS name that owns it and the record's id. */
export interface RecordKey {
  readonly name: string;
  readonly id: string;
}

/** parseKey is the inverse of keyFor; it throws NameError for a key outside prefix or with a bad segment. */
export function parseKey(key: string, prefix: string = DEFAULT_PREFIX): RecordKey {
  const segments = segmentsUnder(key, prefix);
  const id = segments.pop();
  if (id === undefined || segments.length === 0) {
    throw new NameError(`key ${JSON.stringify(key)} has no owner name and record id under ${prefix}`);
  }
  checkLabel(id.toLowerCase(), key);
  return { name: normalizeName(segments.reverse().join(".")), id };
}

function segmentsUnder(path: string, prefix: string): string[] {
  if (typeof path !== "string") throw new NameError(`key must be a string, got ${typeof path}`);
  if (path !== prefix && !path.startsWith(prefix + "/")) {
    throw new NameError(`key ${JSON.stringify(path)} is not under ${prefix}`);
  }
  const rest = path.slice(prefix.length + 1);
  if (rest === "") return [];
  // Names are case-insensitive, so a key an operator wrote in capitals still maps to its lowercase name.
  return rest.split("/");
}

/**
 * isSubdomain tells whether name equals zone or lies below it, comparing whole labels:
 * `foocluster.local.` is not inside `cluster.local.` (v1.2's skydns compared a string suffix).
 * Both arguments must already be normalized.
 */
export function isSubdomain(name: string, zone: string): boolean {
  if (zone === ".") return true;
  if (name.length < zone.length) return false;
  if (name.length === zone.length) return name === zone;
  return name.endsWith(zone) && name.charCodeAt(name.length - zone.length - 1) === 0x2e;
}
