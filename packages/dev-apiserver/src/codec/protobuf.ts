import { ApiError, badRequest } from "../api/status.js";
import { isJsonObject, type JsonObject } from "../api/types.js";

// A reader for Kubernetes' protobuf encoding (https://kubernetes.io/docs/reference/using-api/api-concepts/#protobuf-encoding),
// driven by a table of the fields it knows (protobuf-schema.ts). The Go types are proto2 messages written by gogo:
// every non-pointer field is written even when zero, so a field this reader does not know is skipped when it
// holds a zero value (the same as absent) and refused with 415 otherwise, never silently dropped.

/** FieldType is how one field's value is read. */
export type FieldType =
  | "string"
  | "int"
  | "bool"
  /** resource.Quantity: a message whose field 1 is the quantity's text. */
  | "quantity"
  /** intstr.IntOrString: {type, intVal, strVal}, read as a number or a string. */
  | "intOrString"
  /** metav1.Time: {seconds, nanos}, read as an RFC 3339 time. */
  | "time"
  | { readonly message: string }
  | { readonly map: "string" | "quantity" };

/** FieldSpec names one field of a message and says how to read it. */
export interface FieldSpec {
  readonly name: string;
  readonly type: FieldType;
  readonly repeated?: boolean;
  /** A Go pointer field: written only when set, so a zero value means something and is kept. */
  readonly pointer?: boolean;
  /** A field the server sets itself (status, creationTimestamp): skipped whatever it holds. */
  readonly ignored?: boolean;
}

/** Schema maps message names to their fields by field number. */
export type Schema = Readonly<Record<string, Readonly<Record<number, FieldSpec>>>>;

/** PROTOBUF_MAGIC starts every Kubernetes protobuf body: "k8s" and a zero byte. */
export const PROTOBUF_MAGIC = Buffer.from([0x6b, 0x38, 0x73, 0x00]);

interface WireField {
  readonly number: number;
  readonly wireType: number;
  /** The varint's value, or the fixed-width field as an integer. */
  readonly int: bigint;
  /** A length-delimited field's bytes. */
  readonly bytes: Buffer | undefined;
}

const malformed = (): ApiError => badRequest("the request body is not valid protobuf");

function readVarint(buffer: Buffer, at: number): [bigint, number] {
  let value = 0n;
  for (let shift = 0n, i = at; i < buffer.length && shift < 70n; i++, shift += 7n) {
    const byte = buffer[i] as number;
    value |= BigInt(byte & 0x7f) << shift;
    if ((byte & 0x80) === 0) return [value, i + 1];
  }
  throw malformed();
}

/** readFields splits one message's bytes into its fields, in order. */
function readFields(buffer: Buffer): WireField[] {
  const fields: WireField[] = [];
  let at = 0;
  while (at < buffer.length) {
    const [tag, next] = readVarint(buffer, at);
    at = next;
    const number = Number(tag >> 3n);
    const wireType = Number(tag & 7n);
    if (wireType === 0) {
      const [int, after] = readVarint(buffer, at);
      fields.push({ number, wireType, int, bytes: undefined });
      at = after;
    } else if (wireType === 2) {
      const [length, after] = readVarint(buffer, at);
      const end = after + Number(length);
      if (end > buffer.length) throw malformed();
      fields.push({ number, wireType, int: 0n, bytes: buffer.subarray(after, end) });
      at = end;
    } else if (wireType === 1 || wireType === 5) {
      const size = wireType === 1 ? 8 : 4;
      if (at + size > buffer.length) throw malformed();
      fields.push({ number, wireType, int: wireType === 1 ? buffer.readBigUInt64LE(at) : BigInt(buffer.readUInt32LE(at)), bytes: undefined });
      at += size;
    } else {
      throw malformed();
    }
  }
  return fields;
}

const isZero = (field: WireField): boolean => (field.bytes === undefined ? field.int === 0n : field.bytes.length === 0);
const toInt = (value: bigint): number => Number(BigInt.asIntN(64, value));

function unsupported(message: string, number: number): ApiError {
  return new ApiError(415, "UnsupportedMediaType", `dev-apiserver cannot read field ${number} of ${message} in a protobuf body; send JSON or YAML (kubectl create -f) instead`);
}

function isEmpty(value: unknown): boolean {
  return value === "" || value === 0 || value === false || (isJsonObject(value) && Object.keys(value).length === 0);
}

function scalar(field: WireField, type: "string" | "int" | "bool"): unknown {
  if (type === "string") {
    if (field.bytes === undefined) throw malformed();
    return field.bytes.toString("utf8");
  }
  if (field.bytes !== undefined) throw malformed();
  return type === "bool" ? field.int !== 0n : toInt(field.int);
}

function readValue(schema: Schema, field: WireField, type: FieldType): unknown {
  if (type === "string" || type === "int" || type === "bool") return scalar(field, type);
  if (field.bytes === undefined) throw malformed();
  const inner = readFields(field.bytes);
  const first = (n: number): WireField | undefined => inner.filter((f) => f.number === n).at(-1);
  if (type === "quantity") return first(1) === undefined ? "" : scalar(first(1) as WireField, "string");
  if (type === "intOrString") {
    const isString = first(1) !== undefined && (first(1) as WireField).int === 1n;
    return isString ? (first(3) === undefined ? "" : scalar(first(3) as WireField, "string")) : first(2) === undefined ? 0 : scalar(first(2) as WireField, "int");
  }
  if (type === "time") {
    const seconds = first(1) === undefined ? 0 : (scalar(first(1) as WireField, "int") as number);
    return seconds === 0 ? "" : new Date(seconds * 1000).toISOString().replace(/\.\d{3}Z$/, "Z");
  }
  if ("message" in type) return readMessage(schema, type.message, field.bytes);
  // A map entry is a message: key is field 1, value field 2.
  const key = first(1) === undefined ? "" : (scalar(first(1) as WireField, "string") as string);
  const value = first(2) === undefined ? "" : readValue(schema, first(2) as WireField, type.map);
  return [key, value];
}

/** readMessage decodes one message of the schema into the JSON the API would carry; zero values of non-pointer fields are left out. */
export function readMessage(schema: Schema, message: string, bytes: Buffer): JsonObject {
  const fields = schema[message];
  if (fields === undefined) throw new Error(`protobuf schema has no message ${message}`);
  const result: JsonObject = {};
  for (const field of readFields(bytes)) {
    const spec = fields[field.number];
    if (spec === undefined) {
      if (isZero(field)) continue;
      throw unsupported(message, field.number);
    }
    if (spec.ignored === true) continue;
    const value = readValue(schema, field, spec.type);
    if (typeof spec.type === "object" && "map" in spec.type) {
      const [key, entry] = value as [string, unknown];
      result[spec.name] = { ...(isJsonObject(result[spec.name]) ? (result[spec.name] as JsonObject) : {}), [key]: entry };
    } else if (spec.repeated === true) {
      result[spec.name] = [...(Array.isArray(result[spec.name]) ? (result[spec.name] as unknown[]) : []), value];
    } else if (spec.pointer === true || !isEmpty(value)) {
      result[spec.name] = value;
    }
  }
  return result;
}

/**
 * decodeProtobuf reads a Kubernetes protobuf body: the magic, then a runtime.Unknown envelope with the type
 * (apiVersion, kind) and the object's bytes. Kinds the schema does not describe are refused with 415.
 */
export function decodeProtobuf(body: Buffer, schema: Schema): JsonObject {
  if (body.length < PROTOBUF_MAGIC.length || !body.subarray(0, PROTOBUF_MAGIC.length).equals(PROTOBUF_MAGIC)) throw malformed();
  const envelope = readFields(body.subarray(PROTOBUF_MAGIC.length));
  const part = (n: number): WireField | undefined => envelope.find((f) => f.number === n);
  const typeMeta = part(1)?.bytes === undefined ? [] : readFields(part(1)?.bytes as Buffer);
  const text = (fields: WireField[], n: number): string => fields.find((f) => f.number === n)?.bytes?.toString("utf8") ?? "";
  const apiVersion = text(typeMeta, 1);
  const kind = text(typeMeta, 2);
  if (text(envelope, 3) !== "") throw new ApiError(415, "UnsupportedMediaType", `dev-apiserver cannot read a protobuf body with content encoding ${text(envelope, 3)}`);
  const message = `${apiVersion}/${kind}`;
  if (schema[message] === undefined) {
    throw new ApiError(415, "UnsupportedMediaType", `dev-apiserver reads protobuf bodies only for ${Object.keys(schema).filter((m) => m.includes("/")).join(", ")}, not ${message === "/" ? "this one" : message}; send JSON or YAML (kubectl create -f) instead`);
  }
  return { apiVersion, kind, ...readMessage(schema, message, part(2)?.bytes ?? Buffer.alloc(0)) };
}
