import protobuf from "protobufjs";
import { ApiError, badRequest } from "../api/status.js";
import { isJsonObject, type JsonObject } from "../api/types.js";
import { type FieldSpec, KINDS, schema, type Schema } from "./schema.js";

// Kubernetes' protobuf encoding (https://kubernetes.io/docs/reference/using-api/api-concepts/#protobuf-encoding),
// read by one generic decoder from the declarative tables of schema.ts: protobufjs decodes, then each field becomes
// the JSON the API would carry. The Go types are proto2 messages written by gogo: every non-pointer field is written
// even when zero, so a zero is dropped (JSON's omitempty) unless the field is a pointer. A field the tables do not
// know is skipped when it holds a zero value and refused with 415 otherwise, never silently dropped.

/** PROTOBUF_MAGIC starts every Kubernetes protobuf body: "k8s" and a zero byte. */
export const PROTOBUF_MAGIC = Buffer.from([0x6b, 0x38, 0x73, 0x00]);

const malformed = (): ApiError => badRequest("the request body is not valid protobuf");

/**
 * decodeProtobuf reads a Kubernetes protobuf body: the magic, then a runtime.Unknown envelope with the type
 * (apiVersion, kind) and the object's bytes, decoded by the message KINDS names. Kinds the server does not serve, and
 * fields the tables do not know, are refused with 415; bytes that are not protobuf with 400.
 */
export function decodeProtobuf(body: Buffer): JsonObject {
  if (body.length < PROTOBUF_MAGIC.length || !body.subarray(0, PROTOBUF_MAGIC.length).equals(PROTOBUF_MAGIC)) throw malformed();
  const tables = schema();
  const envelope = decodeAs(tables, "Unknown", body.subarray(PROTOBUF_MAGIC.length));
  const typeMeta = (envelope["typeMeta"] ?? {}) as JsonObject;
  const apiVersion = String(typeMeta["apiVersion"] ?? "");
  const kind = String(typeMeta["kind"] ?? "");
  const encoding = String(envelope["contentEncoding"] ?? "");
  if (encoding !== "") throw new ApiError(415, "UnsupportedMediaType", `dev-apiserver cannot read a protobuf body with content encoding ${encoding}`);
  const message = KINDS[`${apiVersion}/${kind}`];
  if (message === undefined) {
    throw new ApiError(415, "UnsupportedMediaType", `dev-apiserver reads protobuf bodies of ${Object.keys(KINDS).join(", ")}, not ${apiVersion === "" ? "this one" : `${apiVersion}/${kind}`}`);
  }
  const raw = Buffer.from(String(envelope["raw"] ?? ""), "base64");
  return { apiVersion, kind, ...decodeAs(tables, message, raw) };
}

// decodeAs checks a message's bytes for fields the tables lack, then decodes it into JSON.
function decodeAs(tables: Schema, message: string, bytes: Uint8Array): JsonObject {
  const type = tables.root.lookupType(message);
  let decoded: protobuf.Message;
  try {
    refuseUnknown(type, protobuf.Reader.create(bytes), bytes.length);
    decoded = type.decode(bytes);
  } catch (error) {
    if (error instanceof ApiError) throw error;
    throw malformed();
  }
  return toJson(tables, message, decoded as unknown as Record<string, unknown>);
}

// refuseUnknown walks the wire format of one message (and of each message it holds): a field number the type lacks
// must hold a zero value, as gogo writes every non-pointer field of a newer Go type.
function refuseUnknown(type: protobuf.Type, reader: protobuf.Reader, end: number): void {
  while (reader.pos < end) {
    const tag = reader.uint32();
    const [id, wireType] = [tag >>> 3, tag & 7];
    const field = type.fieldsById[id];
    if (field === undefined) {
      if (!isZero(reader, wireType)) throw new ApiError(415, "UnsupportedMediaType", `dev-apiserver cannot read field ${id} of ${type.name} in a protobuf body; send JSON or YAML instead`);
    } else if (wireType === 2 && field.resolvedType instanceof protobuf.Type) {
      const length = reader.uint32();
      const inner = reader.pos + length;
      if (field.map) refuseUnknownInEntry(field.resolvedType, reader, inner);
      else refuseUnknown(field.resolvedType, reader, inner);
      reader.pos = inner;
    } else {
      reader.skipType(wireType);
    }
  }
}

// A map entry is a message of key (1) and value (2); only a message value can hold unknown fields.
function refuseUnknownInEntry(valueType: protobuf.Type, reader: protobuf.Reader, end: number): void {
  while (reader.pos < end) {
    const tag = reader.uint32();
    if (tag >>> 3 === 2 && (tag & 7) === 2) {
      const length = reader.uint32();
      const inner = reader.pos + length;
      refuseUnknown(valueType, reader, inner);
      reader.pos = inner;
    } else reader.skipType(tag & 7);
  }
}

function isZero(reader: protobuf.Reader, wireType: number): boolean {
  switch (wireType) {
    case 0:
      return reader.uint64().toString() === "0";
    case 1:
      return reader.fixed64().toString() === "0";
    case 2:
      return reader.bytes().length === 0;
    case 5:
      return reader.fixed32() === 0;
    default:
      reader.skipType(wireType);
      return false;
  }
}

// toJson turns a decoded message into the JSON the API would carry, field by field as the tables say.
function toJson(tables: Schema, message: string, decoded: Record<string, unknown>): JsonObject {
  const out: JsonObject = {};
  for (const field of tables.fields.get(message) ?? []) {
    if (field.ignored || !Object.prototype.hasOwnProperty.call(decoded, field.name)) continue;
    const value = jsonOf(tables, field, decoded[field.name]);
    if (field.inline && isJsonObject(value)) Object.assign(out, value);
    else if (field.pointer || !isEmpty(value)) out[field.name] = value;
  }
  return out;
}

function jsonOf(tables: Schema, field: FieldSpec, value: unknown): unknown {
  if (field.map !== undefined) {
    const entries = Object.entries(value as Record<string, unknown>).map(([key, entry]) => [key, valueOf(tables, field.map!, entry)]);
    return Object.fromEntries(entries);
  }
  if (field.repeated) return (value as unknown[]).map((item) => valueOf(tables, field.type, item));
  return valueOf(tables, field.type, value);
}

// valueOf converts one value of a type: a scalar as it is (int64 as a number, bytes as base64), the three messages
// JSON writes as scalars, and any other message field by field.
function valueOf(tables: Schema, type: string, value: unknown): unknown {
  switch (type) {
    case "string":
    case "int32":
    case "bool":
      return value;
    case "int64":
      return Number(String(value));
    case "bytes":
      return Buffer.from(value as Uint8Array).toString("base64");
    case "Quantity":
      return (value as { string?: string }).string ?? "";
    case "IntOrString": {
      const { type: kind, intVal, strVal } = value as { type?: unknown; intVal?: number; strVal?: string };
      return String(kind ?? 0) === "1" ? (strVal ?? "") : (intVal ?? 0);
    }
    case "Time": {
      const seconds = Number(String((value as { seconds?: unknown }).seconds ?? 0));
      return seconds === 0 ? "" : new Date(seconds * 1000).toISOString().replace(/\.\d{3}Z$/, "Z");
    }
    default:
      return toJson(tables, type, value as Record<string, unknown>);
  }
}

function isEmpty(value: unknown): boolean {
  if (value === "" || value === 0 || value === false || value === undefined || value === null) return true;
  if (Array.isArray(value)) return value.length === 0;
  return isJsonObject(value) && Object.keys(value).length === 0;
}
