import { hostKindOf, parseKey, parseRecord, type SkyDNSRecord } from "@kube-dns/msg";

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
  /** A, AAAA, CNAME, PTR, SRV, TXT, or BADKEY / CORRUPT when the key or value does not decode. */
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
  try {
    parseKey(entry.key, prefix);
  } catch (error) {
    return { directory, relative, type: "BADKEY", target: errorText(error), details: "" };
  }
  // Without the key, the error says only what is wrong with the value: the row already shows where it is.
  const parsed = parseRecord(entry.value);
  if (!parsed.ok) return { directory, relative, type: "CORRUPT", target: parsed.error.message, details: `value ${JSON.stringify(entry.value.slice(0, 80))}` };
  const service = relative.includes("/_") || relative.startsWith("_");
  // A name under the reverse zones is a PTR, as skydns serves it (`<ip>.in-addr.arpa.` / `ip6.arpa.`).
  const reverse = entry.key.startsWith(`${prefix}/arpa/`);
  return { directory, relative, ...describe(parsed.record, service, reverse) };
}

function describe(record: SkyDNSRecord, service: boolean, reverse: boolean): Pick<TreeRow, "type" | "target" | "details"> {
  const details = [
    record.ttl === undefined ? "" : `ttl ${record.ttl}`,
    record.priority === undefined || !service ? "" : `priority ${record.priority} weight ${record.weight ?? 0}`,
    record.group === undefined ? "" : `group ${record.group}`,
  ].filter((part) => part !== "").join("  ");
  if (record.text !== undefined && record.text !== "") return { type: "TXT", target: JSON.stringify(record.text), details };
  const kind = hostKindOf(record.host);
  const host = kind === "name" && !record.host.endsWith(".") ? `${record.host}.` : record.host;
  const port = record.port === undefined || record.port === 0 ? "" : `:${record.port}`;
  if (kind === "name") return { type: service && port !== "" ? "SRV" : reverse ? "PTR" : "CNAME", target: `${host}${port}`, details };
  return { type: kind === "ipv4" ? "A" : "AAAA", target: `${host}${port}`, details };
}

/**
 * formatTree prints entries like `ls -R`: each directory that holds records, then its records indented, one per line,
 * in aligned columns. Directories come in key order; in each, its own records come before its subdirectories' ones.
 */
export function formatTree(entries: readonly StoredEntry[], prefix: string): string {
  if (entries.length === 0) return `(no records under ${prefix})\n`;
  const groups = new Map<string, TreeRow[]>();
  for (const entry of [...entries].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))) {
    const row = rowFor(entry, prefix);
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

function depth(row: TreeRow): number {
  return row.relative.split("/").length;
}

function widest(rows: readonly TreeRow[], column: "relative" | "type" | "target"): number {
  return Math.max(...rows.map((row) => row[column].length));
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
