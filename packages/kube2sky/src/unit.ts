/**
 * Unit is what one etcd transaction keeps whole and one ownership entry describes: a service with its endpoints,
 * every pod holding one IP in one namespace, or the schema-version record.
 */
export type Unit =
  | { readonly kind: "service"; readonly namespace: string; readonly name: string }
  | { readonly kind: "pod"; readonly namespace: string; readonly ip: string }
  | { readonly kind: "schema" };

/**
 * UnitId is a unit's one string form: `service/<ns>/<name>`, `pod/<ns>/<ip>` or `schema/dns-version`. It keys the
 * reconciler's maps and ends the unit's registry key in etcd; only unitId makes one and only parseUnit reads one.
 */
export type UnitId = string & { readonly __unitId: never };

/** SCHEMA_UNIT is the unit of the `dns-version.<zone>` record. */
export const SCHEMA_UNIT = unitId({ kind: "schema" });

/** unitId writes a unit's string form. */
export function unitId(unit: Unit): UnitId {
  switch (unit.kind) {
    case "service":
      return `service/${unit.namespace}/${unit.name}` as UnitId;
    case "pod":
      return `pod/${unit.namespace}/${unit.ip}` as UnitId;
    case "schema":
      return "schema/dns-version" as UnitId;
  }
}

/** parseUnit reads a unit's string form back; undefined for text no unitId could have written (a foreign registry key). */
export function parseUnit(text: string): Unit | undefined {
  if (text === "schema/dns-version") return { kind: "schema" };
  const [kind, namespace, value, ...rest] = text.split("/");
  if (rest.length > 0 || namespace === undefined || namespace === "" || value === undefined || value === "") return undefined;
  if (kind === "service") return { kind, namespace, name: value };
  if (kind === "pod") return { kind, namespace, ip: value };
  return undefined;
}

/** serviceUnit names the unit of a service. */
export function serviceUnit(namespace: string, name: string): UnitId {
  return unitId({ kind: "service", namespace, name });
}

/** podUnit names the unit of one pod IP in one namespace. */
export function podUnit(namespace: string, ip: string): UnitId {
  return unitId({ kind: "pod", namespace, ip });
}
