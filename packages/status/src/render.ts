import type { Point } from "./series.js";
import type { ChangeRow, Snapshot } from "./snapshot.js";
import { clock, escapeHtml, lineChart } from "./svg.js";

/** DoctorVerdict is the doctor's last run as the page shows it: when, how long, how many differences, the first lines. */
export interface DoctorVerdict {
  readonly checkedAt: Date;
  readonly durationMs: number;
  readonly differences: number;
  /** The first few differences, one line each. */
  readonly lines: readonly string[];
}

/** DoctorState is what the page knows of the doctor: not wired, not finished yet, failed, or its verdict. */
export type DoctorState =
  | { readonly state: "absent" }
  | { readonly state: "pending" }
  | { readonly state: "failed"; readonly error: string }
  | { readonly state: "done"; readonly verdict: DoctorVerdict };

/** PageInput is everything one page shows. */
export interface PageInput {
  readonly snapshot: Snapshot;
  readonly series: readonly Point[];
  readonly doctor: DoctorState;
  /** Where the page's DNS server, etcd and cluster are, for the header: addresses and paths only, never their contents. */
  readonly about: readonly (readonly [string, string])[];
  readonly refreshSeconds: number;
}

const MAX_DOCTOR_LINES = 5;

/** renderPage is the status page: plain HTML with inline SVG charts and a meta refresh; nothing loaded from elsewhere. */
export function renderPage(input: PageInput): string {
  const { snapshot, series } = input;
  const healthy = snapshot.containers.every((c) => c.ok);
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="refresh" content="${input.refreshSeconds}">
<title>kube-dns status: ${healthy ? "healthy" : "UNHEALTHY"}</title>
<style>${STYLE}</style>
</head>
<body>
<h1>kube-dns <span id="overall" class="${healthy ? "ok" : "bad"}">${healthy ? "healthy" : "unhealthy"}</span></h1>
<p class="about">${input.about.map(([k, v]) => `${escapeHtml(k)} <code>${escapeHtml(v)}</code>`).join(" · ")} · as of ${escapeHtml(clock(snapshot.at))} UTC</p>
<section><h2>Containers</h2>
<table id="containers"><tr><th>container</th><th>health</th><th>probe</th><th>answer</th></tr>
${snapshot.containers.map((c) => `<tr data-container="${escapeHtml(c.name)}" data-ok="${c.ok}"><td>${escapeHtml(c.name)}</td><td class="${c.ok ? "ok" : "bad"}">${c.ok ? "ok" : "unhealthy"}</td><td><code>${escapeHtml(c.url)}</code> ${escapeHtml(c.status)}</td><td>${escapeHtml(c.detail)}</td></tr>`).join("\n")}
</table></section>
<section><h2>Records</h2>${records(snapshot)}</section>
<section><h2>Queries</h2>
${lineChart(series.map((p) => ({ at: p.at, value: p.qps })), { title: "queries per second", id: "qps-chart", width: 560, height: 160, format: (v) => v.toFixed(1) })}
${lineChart(series.map((p) => ({ at: p.at, value: p.p99Seconds })), { title: "answer latency p99", id: "latency-chart", width: 560, height: 160, format: milliseconds })}
</section>
<section><h2>Programming latency</h2>
<table id="hops"><tr><th>hop</th><th>changes</th><th>mean</th></tr>
${snapshot.hops.map((h) => `<tr data-metric="${h.metric}" data-count="${h.count}"><td>${escapeHtml(h.name)}</td><td>${h.count}</td><td>${h.meanSeconds === undefined ? "–" : milliseconds(h.meanSeconds)}</td></tr>`).join("\n")}
</table>
<h2>Latest changes</h2>
${changes(snapshot.changes)}
</section>
<section><h2>Doctor</h2>${doctor(input.doctor)}</section>
<p class="foot">Trigger times come from the API server: an EndpointSlice's last-change-trigger-time when its controller sets one, otherwise creation, managedFields or deletion times, whole seconds, so up to 1 s long. The other times are the pod's own clock.</p>
</body>
</html>
`;
}

function records(snapshot: Snapshot): string {
  const kinds = snapshot.recordKinds;
  if (kinds === undefined) return `<p id="records" class="bad">skydns did not answer</p>`;
  const total = [...kinds.values()].reduce((a, b) => a + b, 0);
  const cells = [...kinds].map(([kind, count]) => `<td data-kind="${escapeHtml(kind)}">${escapeHtml(kind)} <b>${count}</b></td>`);
  return `<table id="records"><tr>${cells.join("")}<td data-kind="total">total <b>${total}</b></td></tr></table>`;
}

function changes(rows: readonly ChangeRow[]): string {
  if (rows.length === 0) return `<p id="changes">no change seen since skydns started</p>`;
  const hop = (from: number | undefined, to: number): string => (from === undefined ? "–" : milliseconds(Math.max(0, to - from) / 1000));
  const body = rows.map((r) =>
    `<tr data-object="${escapeHtml(r.object)}"><td>${escapeHtml(clock(r.indexedAt))}</td><td>${escapeHtml(r.type)} ${escapeHtml(r.kind)}</td><td>${escapeHtml(r.object)}</td>` +
      `<td>${hop(r.triggerAt, r.seenAt)}${r.trigger === undefined ? "" : ` <small>(${escapeHtml(r.trigger)})</small>`}</td><td>${hop(r.seenAt, r.sentAt)}</td><td>${hop(r.sentAt, r.indexedAt)}</td></tr>`,
  );
  return `<table id="changes"><tr><th>indexed</th><th>change</th><th>object</th><th>trigger → seen</th><th>seen → sent</th><th>sent → indexed</th></tr>\n${body.join("\n")}\n</table>`;
}

function doctor(state: DoctorState): string {
  if (state.state === "absent") return `<p id="doctor">doctor not run</p>`;
  if (state.state === "pending") return `<p id="doctor">doctor running…</p>`;
  if (state.state === "failed") return `<p id="doctor" class="bad">doctor failed: ${escapeHtml(state.error.slice(0, 300))}</p>`;
  const { verdict } = state;
  const summary = `${verdict.differences === 0 ? "no differences" : `${verdict.differences} difference${verdict.differences === 1 ? "" : "s"}`} at ${clock(verdict.checkedAt.getTime())} UTC, in ${(verdict.durationMs / 1000).toFixed(1)} s`;
  const lines = verdict.lines.slice(0, MAX_DOCTOR_LINES).map((line) => `<li>${escapeHtml(line.slice(0, 300))}</li>`);
  return `<div id="doctor" class="${verdict.differences === 0 ? "ok" : "bad"}"><p>${escapeHtml(summary)}</p>${lines.length > 0 ? `<ul>${lines.join("")}</ul>` : ""}</div>`;
}

function milliseconds(seconds: number): string {
  return seconds >= 1 ? `${seconds.toFixed(2)} s` : `${(seconds * 1000).toFixed(1)} ms`;
}

const STYLE = `
body{font:14px/1.4 system-ui,sans-serif;margin:1.5em;color:#222;max-width:1200px}
h1{font-size:1.4em}h2{font-size:1.1em;margin:1.2em 0 .4em}
table{border-collapse:collapse}td,th{padding:.2em .7em;border-bottom:1px solid #ddd;text-align:left}
.ok{color:#176f2c;font-weight:600}.bad{color:#b3261e;font-weight:600}
code{font-size:.9em;color:#555}.about,.foot{color:#555}.foot{font-size:.85em;margin-top:2em}
svg.chart{display:inline-block;margin:0 1em 1em 0}svg .frame{fill:#fafafa;stroke:#ddd}
svg .line polyline{fill:none;stroke:#1a5fb4;stroke-width:1.5}svg .line circle{fill:#1a5fb4}
svg .title{font-size:12px;font-weight:600}svg .axis{font-size:10px;fill:#666}
`;
