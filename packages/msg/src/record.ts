import { hostKindOf } from "./host.js";
import { isValidName } from "./name.js";

/**
 * SkyDNSRecord is one value stored under /skydns: the skydns `msg.Service` JSON.
 * `key` is not part of the JSON; it is the etcd key the value was read from, when known.
 */
export interface SkyDNSRecord {
  readonly host: string;
  readonly port?: number;
  readonly priority?: number;
  readonly weight?: number;
  readonly text?: string;
  readonly mail?: boolean;
  readonly ttl?: number;
  readonly targetstrip?: number;
  readonly group?: string;
  readonly key?: string;
}

/** The constants kube2sky v1.2 wrote into every record. */
export const DEFAULT_PRIORITY = 10;
export const DEFAULT_WEIGHT = 10;
export const DEFAULT_TTL_SECONDS = 30;

/** Values larger than this are refused before JSON.parse: no record kube2sky writes comes near it. */
export const MAX_RECORD_BYTES = 64 * 1024;
const MAX_TEXT_CHARS = 16 * 1024;
const MAX_UINT16 = 0xffff;
/**
 * TTLs above this are served as this: one day, above every TTL kube2sky writes (28800 for dns-version). RFC 2181
 * section 8 allows up to 2^31-1, but a cluster name cached for years outlives the object it names.
 */
export const MAX_TTL_SECONDS = 86_400;

/**
 * The records one name serves at most. One reply must stay bounded (a TCP message is at most 64 KiB, RFC 1035
 * section 4.2.2), and 1,000 is what Kubernetes keeps of one Endpoints object (it truncates beyond that), so no
 * service kube2sky maps comes near it.
 */
export const MAX_RECORDS_PER_NAME = 1000;

/** RecordFault names what is wrong with a stored value, as the `reason` label of skydns's invalid-records metric. */
export type RecordFault = "too_large" | "not_json" | "not_object" | "no_data" | "bad_host" | "bad_field" | "text_too_long";

/** RecordError says why a stored value is not a usable record; it carries the key when known. */
export class RecordError extends Error {
  override readonly name = "RecordError";
  constructor(
    message: string,
    readonly key?: string,
    readonly reason: RecordFault = "bad_field",
  ) {
    super(key === undefined ? message : `${key}: ${message}`);
  }
}

/**
 * encodeRecord serializes a record byte-compatibly with kube2sky v1.2: fields in msg.Service order,
 * optional fields omitted when unset or zero, `targetstrip` always present.
 */
export function encodeRecord(record: SkyDNSRecord): string {
  const fields: string[] = [];
  if (record.host) fields.push(`"host":${JSON.stringify(record.host)}`);
  if (record.port) fields.push(`"port":${record.port}`);
  if (record.priority) fields.push(`"priority":${record.priority}`);
  if (record.weight) fields.push(`"weight":${record.weight}`);
  if (record.text) fields.push(`"text":${JSON.stringify(record.text)}`);
  if (record.mail) fields.push(`"mail":true`);
  if (record.ttl) fields.push(`"ttl":${record.ttl}`);
  fields.push(`"targetstrip":${record.targetstrip ?? 0}`);
  if (record.group) fields.push(`"group":${JSON.stringify(record.group)}`);
  return `{${fields.join(",")}}`;
}

/**
 * ParseResult is either a record or the reason the value was refused; parsing never throws. `clamped` says which
 * field was out of range and brought into it (a TTL over MAX_TTL_SECONDS), so that the caller can report it.
 */
export type ParseResult =
  | { readonly ok: true; readonly record: SkyDNSRecord; readonly clamped?: string }
  | { readonly ok: false; readonly error: RecordError };

/**
 * parseRecord validates a stored value (string or bytes) and returns the record, or a RecordError that
 * names the key and the fault. Unknown fields are ignored, as skydns ignored them.
 */
export function parseRecord(value: string | Uint8Array, key?: string): ParseResult {
  try {
    const record = parseOrThrow(value, key);
    if (record.ttl === undefined || record.ttl <= MAX_TTL_SECONDS) return { ok: true, record };
    return { ok: true, record: { ...record, ttl: MAX_TTL_SECONDS }, clamped: `"ttl" ${record.ttl} is over ${MAX_TTL_SECONDS}; served as ${MAX_TTL_SECONDS}` };
  } catch (error) {
    const recordError = error instanceof RecordError ? error : new RecordError(String(error), key);
    return { ok: false, error: recordError };
  }
}

function parseOrThrow(value: string | Uint8Array, key: string | undefined): SkyDNSRecord {
  const size = typeof value === "string" ? Buffer.byteLength(value) : value.byteLength;
  if (size > MAX_RECORD_BYTES) throw new RecordError(`value is ${size} bytes, the limit is ${MAX_RECORD_BYTES}`, key, "too_large");
  const text = typeof value === "string" ? value : Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString("utf8");
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new RecordError(`value is not JSON: ${(error as Error).message}`, key, "not_json");
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
    throw new RecordError(`value must be a JSON object, got ${Array.isArray(parsed) ? "an array" : typeof parsed}`, key, "not_object");
  }
  const fields = parsed as Record<string, unknown>;
  const host = optionalString(fields, "host", key) ?? "";
  const recordText = optionalString(fields, "text", key);
  if (host === "" && recordText === undefined) throw new RecordError(`record has neither "host" nor "text"`, key, "no_data");
  if (host !== "" && hostKindOf(host) === "name" && !isValidName(host)) {
    throw new RecordError(`"host" ${JSON.stringify(host.slice(0, 80))} is neither an IP address nor a valid DNS name`, key, "bad_host");
  }
  if (recordText !== undefined && recordText.length > MAX_TEXT_CHARS) {
    throw new RecordError(`"text" is ${recordText.length} characters, the limit is ${MAX_TEXT_CHARS}`, key, "text_too_long");
  }
  const record: { -readonly [K in keyof SkyDNSRecord]: SkyDNSRecord[K] } = { host };
  const port = optionalInteger(fields, "port", MAX_UINT16, key);
  if (port !== undefined) record.port = port;
  const priority = optionalInteger(fields, "priority", MAX_UINT16, key);
  if (priority !== undefined) record.priority = priority;
  const weight = optionalInteger(fields, "weight", MAX_UINT16, key);
  if (weight !== undefined) record.weight = weight;
  if (recordText !== undefined) record.text = recordText;
  const mail = fields["mail"];
  if (mail !== undefined && typeof mail !== "boolean") throw new RecordError(`"mail" must be a boolean`, key);
  if (mail === true) record.mail = true;
  // Any whole number of seconds is taken here; parseRecord clamps it. A negative one is not a TTL at all (skydns's
  // uint32 field refused it too).
  const ttl = optionalInteger(fields, "ttl", Number.MAX_SAFE_INTEGER, key);
  if (ttl !== undefined) record.ttl = ttl;
  const targetstrip = optionalInteger(fields, "targetstrip", 127, key);
  if (targetstrip !== undefined) record.targetstrip = targetstrip;
  const group = optionalString(fields, "group", key);
  if (group !== undefined) record.group = group;
  if (key !== undefined) record.key = key;
  return record;
}

function optionalString(fields: Record<string, unknown>, field: string, key: string | undefined): string | undefined {
  const value = fields[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "string") throw new RecordError(`"${field}" must be a string, got ${typeof value}`, key);
  return value;
}

function optionalInteger(fields: Record<string, unknown>, field: string, max: number, key: string | undefined): number | undefined {
  const value = fields[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "number" || !Number.isInteger(value) || value < 0 || value > max) {
    throw new RecordError(`"${field}" must be an integer from 0 to ${max}, got ${JSON.stringify(value)}`, key);
  }
  return value;
}
