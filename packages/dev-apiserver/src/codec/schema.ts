import protobuf from "protobufjs";
import { APPS } from "./schema-apps.js";
import { CORE } from "./schema-core.js";
import { DISCOVERY } from "./schema-discovery.js";
import { ENVELOPE, META } from "./schema-meta.js";

/**
 * MessageTable declares messages, one string each: its fields as `name=NUMBER[:TYPE][[]][?][^][!]`, the field numbers
 * of Kubernetes' generated.proto files. TYPE is a scalar (string by default, int32, int64, bool, bytes), a message
 * of the tables, or `map<VALUE>` (string keys). `[]` repeats it; `?` marks a Go pointer, whose zero value was set on
 * purpose and is kept; `^` a Go embedded struct, whose fields JSON writes into the parent's; `!` a field the server
 * sets itself, read over and dropped.
 */
export type MessageTable = Readonly<Record<string, string>>;

/** FieldSpec is one field of a message, as a MessageTable line declares it. */
export interface FieldSpec {
  readonly name: string;
  readonly id: number;
  readonly type: string;
  readonly repeated: boolean;
  /** The value type of a map field (keys are strings). */
  readonly map: string | undefined;
  readonly pointer: boolean;
  readonly inline: boolean;
  readonly ignored: boolean;
}

/** KINDS maps each served kind (`apiVersion/kind` of the envelope) to the message of its objects. */
export const KINDS: Readonly<Record<string, string>> = {
  "v1/Namespace": "Namespace",
  "v1/Service": "Service",
  "v1/Endpoints": "Endpoints",
  "v1/ConfigMap": "ConfigMap",
  "v1/Pod": "Pod",
  "v1/ReplicationController": "ReplicationController",
  "apps/v1/Deployment": "Deployment",
  "discovery.k8s.io/v1/EndpointSlice": "EndpointSlice",
};

const FIELD = /^(\w+)=(\d+)(?::(map<\w+>|\w+))?(\[\])?([?^!]*)$/;

/** fieldsOf reads one message's declaration; a line that does not parse is a bug in the tables, so it throws. */
export function fieldsOf(declaration: string): FieldSpec[] {
  return declaration.trim().split(/\s+/).map((entry) => {
    const match = FIELD.exec(entry);
    if (match === null) throw new Error(`protobuf schema: cannot read field ${JSON.stringify(entry)}`);
    const [, name, id, type = "string", repeated, flags = ""] = match;
    const map = type.startsWith("map<") ? type.slice(4, -1) : undefined;
    return { name: name!, id: Number(id), type, repeated: repeated !== undefined, map, pointer: flags.includes("?"), inline: flags.includes("^"), ignored: flags.includes("!") };
  });
}

/** Schema is the tables made into protobufjs types, with each message's field specs. */
export interface Schema {
  readonly root: protobuf.Root;
  readonly fields: ReadonlyMap<string, readonly FieldSpec[]>;
}

let built: Schema | undefined;

/** schema builds the protobufjs types of every table once (on first use, not at import). */
export function schema(): Schema {
  if (built !== undefined) return built;
  const root = new protobuf.Root();
  const fields = new Map<string, FieldSpec[]>();
  for (const [name, declaration] of Object.entries({ ...ENVELOPE, ...META, ...CORE, ...APPS, ...DISCOVERY })) {
    const type = new protobuf.Type(name);
    const specs = fieldsOf(declaration);
    for (const f of specs) {
      type.add(f.map !== undefined ? new protobuf.MapField(f.name, f.id, "string", f.map) : new protobuf.Field(f.name, f.id, f.type, f.repeated ? "repeated" : "optional"));
    }
    root.add(type);
    fields.set(name, specs);
  }
  root.resolveAll();
  built = { root, fields };
  return built;
}
