import type { ProgrammedChange } from "@kube-dns/msg";
import { byLabel, histogramOf, parseSamples, type Sample } from "./prometheus.js";

/** Targets are the pod's endpoints the page reads; they share the pod's network, so all are on loopback. */
export interface Targets {
  /** Every member's client URL (`http://127.0.0.1:2379`); each is probed at /health. */
  readonly etcdUrls: readonly string[];
  /** kube2sky's health port: /readiness and /metrics. */
  readonly kube2skyUrl: string;
  /** skydns's metrics port: /ready, /metrics and /changes. */
  readonly skydnsUrl: string;
  /** exec-healthz's port: /healthz. */
  readonly healthzUrl: string;
}

/** ContainerHealth is one container's probe: its HTTP status, or why there was none. */
export interface ContainerHealth {
  readonly name: string;
  readonly url: string;
  readonly ok: boolean;
  /** `200`, `503`, or the connection's error. */
  readonly status: string;
  /** The first line of the answer, cut short. */
  readonly detail: string;
}

/** ChangeRow is one of kube2sky's latest changes as skydns's /changes lists it: every time known of it. */
export interface ChangeRow extends ProgrammedChange {
  readonly sentAt: number;
  readonly indexedAt: number;
}

/** Hop is one programming histogram's totals: how many changes, and their mean. */
export interface Hop {
  readonly name: string;
  readonly metric: string;
  readonly count: number;
  readonly meanSeconds: number | undefined;
}

/** Snapshot is everything the page shows at one moment, besides the time series and the doctor. */
export interface Snapshot {
  readonly at: number;
  readonly containers: readonly ContainerHealth[];
  /** skydns's index by record kind; undefined when skydns did not answer. */
  readonly recordKinds: ReadonlyMap<string, number> | undefined;
  readonly skydnsSamples: readonly Sample[] | undefined;
  readonly hops: readonly Hop[];
  readonly changes: readonly ChangeRow[];
}

const PROBE_TIMEOUT_MS = 2000;
const DETAIL_CHARS = 160;

/** HOPS are the programming histograms, in the order a change goes through them. */
export const HOPS: readonly { readonly name: string; readonly metric: string; readonly from: "kube2sky" | "skydns" }[] = [
  { name: "trigger -> kube2sky saw it", metric: "kubedns_kube2sky_programming_trigger_to_seen_seconds", from: "kube2sky" },
  { name: "seen -> etcd committed", metric: "kubedns_kube2sky_programming_seen_to_committed_seconds", from: "kube2sky" },
  { name: "sent -> skydns index", metric: "kubedns_skydns_programming_sent_to_indexed_seconds", from: "skydns" },
];

/** takeSnapshot probes every container and reads both programs' metrics and skydns's latest changes, all at once. */
export async function takeSnapshot(targets: Targets, fetchText: FetchText = fetchWithTimeout): Promise<Snapshot> {
  const at = Date.now();
  const probes = [
    ...targets.etcdUrls.map((url, i) => probe(targets.etcdUrls.length === 1 ? "etcd" : `etcd-${i + 1}`, `${url}/health`, fetchText)),
    probe("kube2sky", `${targets.kube2skyUrl}/readiness`, fetchText),
    probe("skydns", `${targets.skydnsUrl}/ready`, fetchText),
    probe("exec-healthz", `${targets.healthzUrl}/healthz`, fetchText),
  ];
  const [containers, skydns, kube2sky, changes] = await Promise.all([
    Promise.all(probes),
    scrape(`${targets.skydnsUrl}/metrics`, fetchText),
    scrape(`${targets.kube2skyUrl}/metrics`, fetchText),
    fetchText(`${targets.skydnsUrl}/changes`).then((answer) => (answer.status === 200 ? parseChanges(answer.body) : []), () => []),
  ]);
  const hops = HOPS.map(({ name, metric, from }) => {
    const histogram = histogramOf((from === "skydns" ? skydns : kube2sky) ?? [], metric);
    const count = histogram?.count ?? 0;
    return { name, metric, count, meanSeconds: histogram === undefined || count === 0 ? undefined : histogram.sum / count };
  });
  const recordKinds = skydns === undefined ? undefined : byLabel(skydns, "kubedns_skydns_index_records_by_kind", "kind");
  return { at, containers, recordKinds, skydnsSamples: skydns, hops, changes };
}

/** FetchText is a GET of a URL's status and body (injected in tests). */
export type FetchText = (url: string) => Promise<{ status: number; body: string }>;

async function fetchWithTimeout(url: string): Promise<{ status: number; body: string }> {
  const response = await fetch(url, { signal: AbortSignal.timeout(PROBE_TIMEOUT_MS), redirect: "manual" });
  return { status: response.status, body: await response.text() };
}

async function probe(name: string, url: string, fetchText: FetchText): Promise<ContainerHealth> {
  try {
    const { status, body } = await fetchText(url);
    return { name, url, ok: status === 200, status: String(status), detail: firstLine(body) };
  } catch (error) {
    const cause = error instanceof Error && error.cause instanceof Error ? error.cause.message : undefined;
    return { name, url, ok: false, status: "no answer", detail: firstLine(cause ?? (error instanceof Error ? error.message : String(error))) };
  }
}

async function scrape(url: string, fetchText: FetchText): Promise<Sample[] | undefined> {
  try {
    const { status, body } = await fetchText(url);
    return status === 200 ? parseSamples(body) : undefined;
  } catch {
    return undefined;
  }
}

function firstLine(text: string): string {
  const line = text.trim().split("\n")[0] ?? "";
  return line.length > DETAIL_CHARS ? `${line.slice(0, DETAIL_CHARS)}…` : line;
}

/** parseChanges reads skydns's /changes; a row that is not one is left out. */
export function parseChanges(body: string): ChangeRow[] {
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch {
    return [];
  }
  const changes = (value as { changes?: unknown } | null)?.changes;
  if (!Array.isArray(changes)) return [];
  return changes.filter((row): row is ChangeRow => {
    if (typeof row !== "object" || row === null) return false;
    const r = row as Record<string, unknown>;
    return typeof r["kind"] === "string" && typeof r["object"] === "string" && typeof r["type"] === "string" &&
      typeof r["seenAt"] === "number" && typeof r["sentAt"] === "number" && typeof r["indexedAt"] === "number";
  });
}
