import type { DoctorVerdict } from "./render.js";

/** DoctorReportLike is the shape of a doctor's report the page reads: when, how long, and one entry per difference. */
export interface DoctorReportLike {
  readonly checkedAt: Date;
  readonly durationMs: number;
  readonly differences: readonly { readonly kind: string }[];
}

const LINES = 5;
const LINE_CHARS = 200;

/**
 * verdictOf turns a doctor's report into the page's verdict: the count of differences and the first few, each as its
 * kind followed by its other fields (as JSON), one line each. Wrap a doctor with it: `() => run().then(verdictOf)`.
 */
export function verdictOf(report: DoctorReportLike): DoctorVerdict {
  const lines = report.differences.slice(0, LINES).map((difference) => {
    const { kind, ...rest } = difference as { kind: string } & Record<string, unknown>;
    const details = Object.keys(rest).length === 0 ? "" : ` ${JSON.stringify(rest)}`;
    const line = `${kind}${details}`;
    return line.length > LINE_CHARS ? `${line.slice(0, LINE_CHARS)}…` : line;
  });
  return { checkedAt: report.checkedAt, durationMs: report.durationMs, differences: report.differences.length, lines };
}
