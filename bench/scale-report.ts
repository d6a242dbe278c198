import { readFileSync } from "node:fs";
import { parseAllDocuments } from "yaml";
import { fmt, type Section, table, type Target, targetTable } from "./report.js";
import { type Container, type SizeResult } from "./scale.js";
import { lineChart } from "./svg.js";

const MANIFEST = new URL("../manifests/kube-dns.yaml", import.meta.url);
// The manifest's container names for the programs the pod runs (exec-healthz ships as the container `healthz`).
const MANIFEST_NAMES: Partial<Record<Container, string>> = { etcd: "etcd", kube2sky: "kube2sky", skydns: "skydns", "exec-healthz": "healthz" };
const POD_CONTAINERS = ["etcd", "kube2sky", "skydns", "exec-healthz"] as const;

const sizeName = (r: SizeResult): string => `${fmt(r.services)}${r.headless > 0 ? ` + ${fmt(r.headless)} headless` : ""}`;

/** scaleSection formats section 3: first sync, write rate, skydns's load time and memory, API create rate, answers. */
export function scaleSection(results: readonly SizeResult[]): Section {
  const rows = results.map((r) => [
    sizeName(r), fmt(r.seedSeconds, 1), fmt(r.firstSyncSeconds, 1), `${fmt(r.recordsManaged)} (${fmt(r.writeRatePerSecond)}/s)`,
    fmt(r.skydnsLoadSeconds, 2), fmt(r.skydnsIndexRecords), `${fmt(r.skydnsLoadedMemory.rssMb)} / ${fmt(r.skydnsLoadedMemory.peakMb)}`,
    fmt(r.apiCreatesPerSecond), `${fmt(r.answers.qps)} q/s, p50 ${fmt(r.answers.p50Ms, 2)}, p99 ${fmt(r.answers.p99Ms, 2)}, lost ${fmt(r.answers.lost)}`,
    `${fmt(r.kube2skyElections)} / ${fmt(r.kube2skyFencedTxns)}`,
  ]);
  const failures = results.filter((r) => r.failure !== undefined).map((r) =>
    `- **${sizeName(r)}: the first sync did not finish.** ${r.failure} kube2sky held ${fmt(r.recordsManaged)} records, had been elected ` +
    `${fmt(r.kube2skyElections)} times and had ${fmt(r.kube2skyFencedTxns)} transactions refused by its fence (its leadership lease lapsed ` +
    "while it wrote); the other measurements of that size were skipped.");
  const first = results[0];
  const targets: Target[] = first === undefined ? [] : [
    { what: `first sync at ${sizeName(first)}`, measured: first.firstSyncSeconds, op: "<=", limit: 5, unit: " s" },
    { what: `skydns load (start to ready) at ${sizeName(first)}`, measured: first.skydnsLoadSeconds, op: "<=", limit: 1, unit: " s" },
  ];
  const restarts = results.filter((r) => Object.keys(r.restartSeconds).length > 0);
  const restartText = restarts.length === 0 ? "" : `\nRESTARTS=1: each container SIGKILLed in turn until ready again (s):\n\n${table(
    ["services", "skydns", "kube2sky", "API server", "etcd", "wrong answers after"],
    restarts.map((r) => [sizeName(r), fmt(r.restartSeconds.skydns, 1), fmt(r.restartSeconds.kube2sky, 1), fmt(r.restartSeconds["dev-apiserver"], 1), fmt(r.restartSeconds.etcd, 1), fmt(r.wrongAnswers)]),
  )}\n`;
  const markdown = `
For each size a fresh pod (\`kube-dns up\`, the built programs, a /15 service range). The services are written straight
into the local cluster's store (each with one named port, no selector; at the first size also headless services with
${first?.endpointsPerHeadless ?? 10} ready endpoints each, in EndpointSlices), then "first sync" runs from there until every
name answers right through skydns (kube2sky's list, its etcd writes, skydns's watch); the write rate is kube2sky's
records (its \`records_managed\`) over that time. "skydns load" starts one more skydns on the synced etcd and times it
from spawn to \`/ready\` (a full paged read of /skydns into its index), with its memory then. The API server's
create rate is services POSTed one by one, 16 at a time, into the full cluster. Answers: dnsperf at 5,000 q/s over
existing names, straight at the pod's skydns. Memory in MiB (RSS / peak).

${table(["services", "written (s)", "first sync (s)", "records (write rate)", "skydns load (s)", "index records", "loaded skydns MiB", "API creates/s", "answers", "kube2sky elections / fenced txns"], rows)}
${failures.length > 0 ? `\n${failures.join("\n")}\n` : ""}
${targetTable(targets)}
${restartText}`;
  const categories = results.map((r) => fmt(r.services));
  const figures = [{
    file: "scale-times.svg",
    title: "First sync and skydns load time",
    svg: lineChart({ title: "Seconds to be ready, by cluster size", categories, xLabel: "services", yLabel: "seconds", series: [
      { name: "kube2sky first sync (until every name answers)", values: results.map((r) => r.firstSyncSeconds) },
      { name: "skydns load (start to ready)", values: results.map((r) => r.skydnsLoadSeconds) },
    ] }),
  }];
  return { title: "Scale: first sync, load time, write and create rates", markdown, figures };
}

/** ManifestLimits maps each of the pod's containers to its memory limit in MiB in manifests/kube-dns.yaml. */
export function manifestLimits(text = readFileSync(MANIFEST, "utf8")): Partial<Record<Container, number>> {
  type Spec = { spec?: { template?: { spec?: { containers?: { name: string; resources?: { limits?: { memory?: string } } }[] } } } };
  const containers = parseAllDocuments(text).flatMap((d) => (d.toJS() as Spec | null)?.spec?.template?.spec?.containers ?? []);
  const limits: Partial<Record<Container, number>> = {};
  for (const [ours, theirs] of Object.entries(MANIFEST_NAMES) as [Container, string][]) {
    const memory = containers.find((c) => c.name === theirs)?.resources?.limits?.memory;
    if (memory !== undefined) limits[ours] = mebibytes(memory);
  }
  return limits;
}

/** mebibytes reads a Kubernetes memory quantity (`256Mi`, `1Gi`, `300M`, bytes) as MiB. */
export function mebibytes(quantity: string): number {
  const match = /^(\d+(?:\.\d+)?)(Ki|Mi|Gi|K|M|G)?$/.exec(quantity.trim());
  if (match === null) return Number.NaN;
  const factor: Record<string, number> = { Ki: 1 / 1024, Mi: 1, Gi: 1024, K: 1000 / 1048576, M: 1e6 / 1048576, G: 1e9 / 1048576, "": 1 / 1048576 };
  return Number(match[1]) * factor[match[2] ?? ""]!;
}

/** corednsMegabytes is CoreDNS's published sizing for its default settings: (pods + services) / 1000 + 54 MB. */
export function corednsMegabytes(pods: number, services: number): number {
  return (pods + services) / 1000 + 54;
}

/** memorySection formats section 4: each container's memory per size, against CoreDNS's formula and our limits. */
export function memorySection(results: readonly SizeResult[], limits = manifestLimits()): Section {
  const rows = results.map((r) => {
    const pods = r.headless * r.endpointsPerHeadless;
    const total = POD_CONTAINERS.reduce((sum, c) => sum + r.memory[c].rssMb, 0);
    return [
      sizeName(r), ...POD_CONTAINERS.map((c) => `${fmt(r.memory[c].rssMb)} / ${fmt(r.memory[c].peakMb)}`), fmt(total),
      `${fmt(r.memory["dev-apiserver"].rssMb)}`, fmt(corednsMegabytes(pods, r.services + r.headless)),
    ];
  });
  const headroom = results.map((r) => [
    sizeName(r),
    ...POD_CONTAINERS.map((c) => {
      const limit = limits[c];
      return limit === undefined ? "-" : `${fmt(((limit - r.memory[c].peakMb) / limit) * 100)} %`;
    }),
  ]);
  const markdown = `
RSS / peak (VmHWM) in MiB of each of the pod's containers after the first sync at each size (the scale section's pods), the pod's
total RSS, and the local API server (not part of the pod) for scale. CoreDNS's published sizing for a CoreDNS instance
with default settings is MB = (pods + services) / 1000 + 54 (coredns/deployment, \`kubernetes/Scaling_CoreDNS.md\`,
from tests of CoreDNS 1.2.5 on Kubernetes 1.12; it counts the cluster's pods and services, and includes about 30 MB for
a full default cache of 10,000 answers and 5 MB of buffers at ~30,000 q/s). Here the pods are the headless services'
endpoints (none at the larger sizes), the services all services. It sizes one process that does what our whole pod
does, so compare it with the pod's total as well as with skydns.

${table(["services", ...POD_CONTAINERS.map((c) => `${c} MiB`), "pod total RSS", "API server", "CoreDNS formula MB"], rows)}

Headroom of each container's peak under its memory limit in manifests/kube-dns.yaml (${POD_CONTAINERS.map((c) => `${c} ${fmt(limits[c])} MiB`).join(", ")}); negative means the
peak was past the limit, so the container would be OOM-killed at that size with the shipped limits:

${table(["services", ...POD_CONTAINERS], headroom)}
`;
  const categories = results.map((r) => fmt(r.services));
  const figures = [{
    file: "memory.svg",
    title: "Memory per container",
    svg: lineChart({ title: "RSS by cluster size (MiB)", categories, xLabel: "services", yLabel: "MiB", series: [
      ...POD_CONTAINERS.map((c) => ({ name: c, values: results.map((r) => r.memory[c].rssMb) })),
      { name: "CoreDNS formula", values: results.map((r) => corednsMegabytes(r.headless * r.endpointsPerHeadless, r.services + r.headless)) },
    ] }),
  }];
  return { title: "Memory per container against CoreDNS's sizing and our limits", markdown, figures };
}
