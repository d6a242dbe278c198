/** ScenarioRow is one line of the failover table: what was broken how often, under how much traffic, and with what result. */
export interface ScenarioRow {
  readonly scenario: string;
  readonly faults: number;
  /** Service creates, updates and deletes the API server accepted during the scenario. */
  readonly changes: number;
  /** DNS queries the replicas were asked during the scenario. */
  readonly queries: number;
  readonly wrong: number;
  /** Seconds from each fault until the system had taken over (what that means is the scenario's). */
  readonly takeovers: readonly number[];
}

/** percentile is the nearest-rank percentile p (0-100) of values; NaN for none. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] as number;
}

/** FaultRow is one line of the single pod's fault table: what was broken how often, and what was then checked. */
export interface FaultRow {
  readonly scenario: string;
  readonly faults: number;
  /** Service creates, updates and deletes the API server accepted during the scenario. */
  readonly changes: number;
  /** etcd records and DNS answers compared with what the API says, after every fault. */
  readonly checked: number;
  readonly mismatches: number;
}

/** formatTable writes the failover rows as a Markdown table, times in seconds with one decimal. */
export function formatTable(rows: readonly ScenarioRow[]): string {
  const seconds = (value: number): string => (Number.isNaN(value) ? "-" : `${value.toFixed(1)} s`);
  return markdownTable(
    ["scenario", "faults", "changes", "queries", "wrong answers", "takeover p50", "takeover max"],
    rows.map((row) => [row.scenario, row.faults, row.changes, row.queries, row.wrong, seconds(percentile(row.takeovers, 50)), seconds(percentile(row.takeovers, 100))]),
  );
}

/** formatFaultTable writes the fault rows as a Markdown table. */
export function formatFaultTable(rows: readonly FaultRow[]): string {
  return markdownTable(
    ["scenario", "faults injected", "changes made", "records checked", "mismatches"],
    rows.map((row) => [row.scenario, row.faults, row.changes, row.checked, row.mismatches]),
  );
}

// One Markdown table: the header, its rule, a line per row.
function markdownTable(header: readonly string[], rows: ReadonlyArray<ReadonlyArray<string | number>>): string {
  const line = (cells: ReadonlyArray<string | number>): string => `| ${cells.join(" | ")} |`;
  return [line(header), line(header.map(() => "---")).replaceAll(" ", ""), ...rows.map(line)].join("\n");
}
