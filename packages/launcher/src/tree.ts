import { answerTypesOf, configKeyFor, hostKindOf, isReverseName, MAX_RECORDS_PER_NAME, nameFor, parseKey, parseRecord, programmedKeyFor, type SkyDNSRecord } from "@kube-dns/msg";

/** StoredEntry is one key and its raw value as read from etcd. */
export interface StoredEntry {
  readonly key: string;
  readonly value: string;
}

/** TreeRow is one record decoded for display: where it sits in its directory, its type, its target and details. */
export interface TreeRow {
  /** The directory that owns the record: the key's parent, without trailing `_proto`/`_port` labels. */
  readonly directory: string;
  /** The key below that directory, e.g. `c88f1059` or `_tcp/_https/c88f1059`. */
  readonly relative: string;
  /**
   * What skydns answers from it: A, AAAA, CNAME, PTR, MX, SRV, TXT (joined by + when several); BADKEY / CORRUPT when
   * the key or value does not decode; HELD when its name has MAX_RECORDS_PER_NAME records before it (by key); CONFIG
   * for skydns's configuration key, shown as stored.
   */
  readonly type: string;
  readonly target: string;
  readonly details: string;
}

/**
 * rowFor decodes one stored record with the shared model (parseKey, parseRecord). A key or value that does not
 * decode becomes a BADKEY or CORRUPT row carrying the error, so one bad entry never hides the rest.
 */
export function rowFor(entry: StoredEntry, prefix: string): TreeRow {
  const segments = entry.key.split("/");
  const id = segments.pop() ?? "";
  while (segments.length > 1 && segments[segments.length - 1]?.startsWith("_")) segments.pop();
  const directory = segments.join("/");
  const relative = entry.key.slice(directory.length + 1) || id;
  // skydns validates the config itself; the tree only shows what is there.
  if (entry.key === configKeyFor(prefix)) return { directory, relative, type: "CONFIG", target: entry.value, details: "" };
  // kube2sky's note of its last batch of watch events, which skydns times programming by: not a record.
  if (entry.key === programmedKeyFor(prefix)) return { directory, relative, type: "PROGRAMMED", target: entry.value, details: "" };
  try {
    parseKey(entry.key, prefix);
  } catch (error) {
    return { directory, relative, type: "BADKEY", target: errorText(error), details: "" };
  }
  // Without the key, the error says only what is wrong with the value: the row already shows where it is.
  const parsed = parseRecord(entry.value);
  if (!parsed.ok) return { directory, relative, type: "CORRUPT", target: parsed.error.message, details: `value ${JSON.stringify(entry.value.slice(0, 80))}` };
  const service = relative.includes("/_") || relative.startsWith("_");
  return { directory, relative, ...describe(parsed.record, service, isReverseName(nameFor(entry.key, prefix)), parsed.clamped !== undefined) };
}

function describe(record: SkyDNSRecord, service: boolean, reverse: boolean, clamped: boolean): Pick<TreeRow, "type" | "target" | "details"> {
  const details = [
    // Shown as skydns serves it, marked so that the stored value's own TTL is not mistaken for what clients see.
    record.ttl === undefined ? "" : `ttl ${record.ttl}${clamped ? " (clamped)" : ""}`,
    record.priority === undefined || !service ? "" : `priority ${record.priority} weight ${record.weight ?? 0}`,
    record.group === undefined ? "" : `group ${record.group}`,
  ].filter((part) => part !== "").join("  ");
  const type = answerTypesOf(record, reverse).join("+") || "-";
  if (record.host === "") return { type, target: JSON.stringify(record.text ?? ""), details };
  const host = hostKindOf(record.host) === "name" && !record.host.endsWith(".") ? `${record.host}.` : record.host;
  const port = record.port === undefined || record.port === 0 ? "" : `:${record.port}`;
  return { type, target: `${host}${port}`, details };
}

/**
 * formatTree prints entries like `ls -R`: each directory that holds records, then its records indented, one per line,
 * in aligned columns. Directories come in key order; in each, its own records come before its subdirectories' ones.
 */
export function formatTree(entries: readonly StoredEntry[], prefix: string): string {
  if (entries.length === 0) return `(no records under ${prefix})\n`;
  const groups = new Map<string, TreeRow[]>();
  const perName = new Map<string, number>();
  for (const entry of [...entries].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))) {
    const row = heldAside(rowFor(entry, prefix), entry.key, prefix, perName);
    groups.set(row.directory, [...(groups.get(row.directory) ?? []), row]);
  }
  const lines: string[] = [];
  for (const directory of [...groups.keys()].sort()) {
    // Like ls -R: a directory's own records first, then those in its _proto/_port subdirectories.
    const rows = [...(groups.get(directory) ?? [])].sort((a, b) => depth(a) - depth(b));
    const widths = { relative: widest(rows, "relative"), type: widest(rows, "type"), target: widest(rows, "target") };
    lines.push(directory);
    for (const row of rows) {
      const columns = [row.relative.padEnd(widths.relative), row.type.padEnd(widths.type), row.details === "" ? row.target : row.target.padEnd(widths.target), row.details];
      lines.push(`  ${columns.join("  ").trimEnd()}`);
    }
  }
  return `${lines.join("\n")}\n`;
}

const NOT_RECORDS: ReadonlySet<string> = new Set(["BADKEY", "CORRUPT", "CONFIG", "PROGRAMMED"]);

// skydns answers a name with its first MAX_RECORDS_PER_NAME records by key: the others are marked, so that a name with
// ten thousand records shows which ones its answer leaves out (each is still answered under its own name).
function heldAside(row: TreeRow, key: string, prefix: string, perName: Map<string, number>): TreeRow {
  // Only records count towards a name's answer: not a bad key or value, nor the config or programmed key.
  if (NOT_RECORDS.has(row.type)) return row;
  const owner = parseKey(key, prefix).name;
  const count = (perName.get(owner) ?? 0) + 1;
  perName.set(owner, count);
  if (count <= MAX_RECORDS_PER_NAME) return row;
  return { ...row, type: "HELD", details: `! not in ${owner}'s answer: ${MAX_RECORDS_PER_NAME} records before it` };
}

function depth(row: TreeRow): number {
  return row.relative.split("/").length;
}

function widest(rows: readonly TreeRow[], column: "relative" | "type" | "target"): number {
  return Math.max(...rows.map((row) => row[column].length));
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
