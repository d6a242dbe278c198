/**
 * @kube-dns/status: a live HTML status page of the kube-dns pod, for a person: each container's health, skydns's
 * records by kind, queries per second and answer latency over the last minutes (inline SVG), the latest changes with
 * their programming latency hop by hop, and the doctor's last verdict. It reads the pod's HTTP endpoints and nothing else.
 */
export { verdictOf } from "./doctor.js";
export type { DoctorReportLike } from "./doctor.js";
export { byLabel, histogramOf, parseSamples, quantileBetween, sumOf } from "./prometheus.js";
export type { Histogram, Sample } from "./prometheus.js";
export { renderPage } from "./render.js";
export type { DoctorState, DoctorVerdict, PageInput } from "./render.js";
export { TimeSeries } from "./series.js";
export type { Point } from "./series.js";
export { startStatusServer } from "./server.js";
export type { StatusOptions, StatusServer } from "./server.js";
export { HOPS, parseChanges, takeSnapshot } from "./snapshot.js";
export type { ChangeRow, ContainerHealth, FetchText, Hop, Snapshot, Targets } from "./snapshot.js";
export { escapeHtml, lineChart } from "./svg.js";
export type { ChartOptions, ChartPoint } from "./svg.js";
