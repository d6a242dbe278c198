/** QueryLogEntry is one query as skydns logged it with --query-log: the name asked, the type and the answer's rcode. */
export interface QueryLogEntry {
  /** Lowercase, without the trailing dot (`x.default.svc.cluster.local`). */
  readonly name: string;
  readonly type: string;
  readonly rcode: string;
  readonly proto: string;
}

const PREFIX = "[skydns] ";

/**
 * parseQueryLine reads one launcher output line; it returns the query when the line is skydns's per-query log
 * (`[skydns] {...,"qname":...,"qtype":...,"rcode":...,"msg":"query"}`), undefined for any other line. skydns writes the entry when it answers, and a
 * resolver waits for each answer before it asks the next name, so the entries come in the order the client asked.
 */
export function parseQueryLine(line: string): QueryLogEntry | undefined {
  if (!line.startsWith(PREFIX) || !line.includes('"msg":"query"')) return undefined;
  let record: unknown;
  try {
    record = JSON.parse(line.slice(PREFIX.length));
  } catch {
    return undefined;
  }
  if (typeof record !== "object" || record === null) return undefined;
  const { qname: name, qtype: type, rcode, proto } = record as Record<string, unknown>;
  if (typeof name !== "string" || typeof type !== "string" || typeof rcode !== "string") return undefined;
  return { name: name.toLowerCase().replace(/\.$/, ""), type, rcode, proto: typeof proto === "string" ? proto : "" };
}
