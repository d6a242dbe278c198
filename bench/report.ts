// The report's shape: Markdown sections with tables, target lines and SVG charts written beside the report.

/** Figure is one chart of a section: its file name (under the report's directory) and SVG text. */
export interface Figure {
  readonly file: string;
  readonly title: string;
  readonly svg: string;
}

/** Section is one numbered part of the report. */
export interface Section {
  readonly title: string;
  readonly markdown: string;
  readonly figures: readonly Figure[];
}

/** Target is one goal set for a measured value: met when `measured op limit` holds. */
export interface Target {
  readonly what: string;
  readonly measured: number;
  readonly op: "<=" | ">=" | "<" | "==";
  readonly limit: number;
  readonly unit?: string;
}

/** fmt prints a number with digits decimals and thousands separators; NaN and undefined print as "-". */
export function fmt(value: number | undefined, digits = 0): string {
  if (value === undefined || !Number.isFinite(value)) return "-";
  return value.toLocaleString("en", { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

/** table renders a Markdown table; cells are printed as given. */
export function table(headers: readonly string[], rows: readonly (readonly string[])[]): string {
  const line = (cells: readonly string[]): string => `| ${cells.map((c) => c.replace(/\|/g, "\\|")).join(" | ")} |`;
  return [line(headers), line(headers.map(() => "---")), ...rows.map(line)].join("\n");
}

/** met says whether a target holds; a value that was not measured (NaN) does not meet it. */
export function met(target: Target): boolean {
  const { measured, limit } = target;
  if (!Number.isFinite(measured)) return false;
  switch (target.op) {
    case "<=": return measured <= limit;
    case ">=": return measured >= limit;
    case "<": return measured < limit;
    case "==": return measured === limit;
  }
}

/** targetTable prints each target beside its measured value, and whether it is met. */
export function targetTable(targets: readonly Target[], digits = 2): string {
  return table(
    ["target", "measured", "goal", "met"],
    targets.map((t) => [t.what, `${fmt(t.measured, digits)}${t.unit ?? ""}`, `${t.op} ${fmt(t.limit, digits)}${t.unit ?? ""}`, met(t) ? "yes" : "**no**"]),
  );
}

/** ReportMeta is what the report's header states about the run. */
export interface ReportMeta {
  readonly startedAt: Date;
  readonly seconds: number;
  readonly machine: string;
  readonly command: string;
  readonly settings: Readonly<Record<string, string>>;
}

/**
 * renderReport assembles the report: a header, then each section numbered with its figures linked inline. Links to
 * the figures and the JSON file start with linkPrefix (empty beside them, `<dir>/` from the stable link's place).
 */
export function renderReport(meta: ReportMeta, sections: readonly Section[], jsonFile: string, linkPrefix = ""): string {
  const header = [
    `# kube-dns bench, ${meta.startedAt.toISOString().slice(0, 16)}Z`,
    "",
    `Machine: ${meta.machine}. Run: \`${meta.command}\` (${fmt(meta.seconds / 60, 1)} min), ` +
      `${Object.entries(meta.settings).map(([k, v]) => `${k}=${v}`).join(" ")}. Every number is also in [${jsonFile}](${linkPrefix}${jsonFile}).`,
    "Everything ran on loopback on this machine, the load generator sharing the cores with the servers: compare within one",
    "run, never across machines.",
  ];
  const body = sections.flatMap((section, i) => [
    "",
    `## ${i + 1}. ${section.title}`,
    "",
    section.markdown.trim(),
    ...section.figures.flatMap((figure) => ["", `![${figure.title}](${linkPrefix}${figure.file})`]),
  ]);
  return `${[...header, ...body].join("\n")}\n`;
}
