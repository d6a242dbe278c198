import { DIFFERENCE_KINDS } from "./difference.js";
import type { DoctorReport } from "./doctor.js";

/**
 * formatReport renders a report for a terminal: one line per difference (kind, API object, etcd key, what differs),
 * then a summary line with the counts and the time taken.
 */
export function formatReport(report: DoctorReport): string {
  const lines = report.differences.map((d) => `${d.kind.padEnd(11)} ${d.object}  ${d.key}  ${d.detail}`);
  const { wanted, etcd, questions } = report.checked;
  const seconds = (report.durationMs / 1000).toFixed(2);
  const checked = `${wanted} records implied, ${etcd} in etcd, ${questions} DNS questions`;
  if (report.differences.length === 0) {
    lines.push(`no differences (${checked}; ${seconds} s)`);
  } else {
    const counts = DIFFERENCE_KINDS.map((kind) => `${report.counts[kind]} ${kind}`).join(", ");
    lines.push(`${report.differences.length} difference${report.differences.length === 1 ? "" : "s"}: ${counts} (${checked}; ${seconds} s)`);
  }
  return `${lines.join("\n")}\n`;
}

/** reportJson renders a report as one JSON document, the time as ISO 8601. */
export function reportJson(report: DoctorReport): string {
  return `${JSON.stringify({ ...report, checkedAt: report.checkedAt.toISOString(), durationMs: Math.round(report.durationMs) }, null, 2)}\n`;
}
