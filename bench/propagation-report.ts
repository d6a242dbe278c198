import { percentile } from "./dnsperf.js";
import { CHANGE_TYPES, type Change, type PropagationResult } from "./propagation.js";
import { fmt, type Section, table, type Target, targetTable } from "./report.js";
import { barChart } from "./svg.js";

const TARGET_P99_MS = 25;

/** Hops splits a change's time: the API call, kube2sky's etcd write after it, skydns's answer after that. */
function hops(change: Change): { api: number; etcd: number; dns: number } {
  return { api: change.apiMs, etcd: change.etcdMs - change.apiMs, dns: change.dnsMs - change.etcdMs };
}

/** propagationSection formats section 2: per change type the total's p50/p99/max, each hop's p50, the prober's counts. */
export function propagationSection(result: PropagationResult): Section {
  const stats = CHANGE_TYPES.map((type) => {
    const changes = result.changes.filter((c) => c.type === type);
    const sorted = (pick: (c: Change) => number): Float64Array => Float64Array.from(changes.map(pick)).sort();
    const total = sorted((c) => c.dnsMs);
    return {
      type, n: changes.length,
      p50: percentile(total, 0.5), p99: percentile(total, 0.99), max: total[total.length - 1] ?? Number.NaN,
      api: percentile(sorted((c) => hops(c).api), 0.5), etcd: percentile(sorted((c) => hops(c).etcd), 0.5), dns: percentile(sorted((c) => hops(c).dns), 0.5),
    };
  });
  const rows = stats.map((s) => [s.type, fmt(s.n), fmt(s.p50, 1), fmt(s.p99, 1), fmt(s.max, 1), fmt(s.api, 1), fmt(s.etcd, 1), fmt(s.dns, 1)]);
  const targets: Target[] = [
    ...stats.map((s) => ({ what: `${s.type}: p99 from the API call to skydns's answer`, measured: s.p99, op: "<=" as const, limit: TARGET_P99_MS, unit: " ms" })),
    { what: "NXDOMAIN answers for names that exist throughout", measured: result.prober.nxdomain, op: "==", limit: 0 },
  ];
  const p = result.prober;
  const markdown = `
The pod (\`kube-dns up\`, the built programs) over a cluster of ${fmt(result.services)} services. Each change goes through the
local API server, one at a time; the bench watches the changed service's keys in the pod's etcd and timestamps the
first event (kube2sky's commit), and asks skydns the changed name every ${1} ms until the answer is the new one. Hops:
"API" is the API call's own time (write and return), "to etcd" from its return to the etcd event (kube2sky's watch,
its diff and its transaction), "to DNS" from the etcd event to the first right answer (skydns's watch, its index,
and at most one poll interval). Times in ms; hops at their own p50, so they need not add up to the total's p50.
Changes: create (a ClusterIP service, its A record), update of ports (the port renamed: the new SRV name answers),
delete (NXDOMAIN), and a headless service's EndpointSlice gaining an endpoint (its address in the A answer).
"To etcd" is negative when kube2sky's write reached etcd before the API server's reply reached the bench.
${result.missed.length > 0 ? `\n**${result.missed.length} changes are not in the table**: ${result.missed.map((m) => `${m.type} ${m.service} (${m.reason})`).join("; ")}.\n` : ""}
${table(["change", "n", "p50", "p99", "max", "API p50", "to etcd p50", "to DNS p50"], rows)}

A prober asked the ${fmt(result.services)} seeded names (which exist throughout) all along, 4 questions in flight:
${fmt(p.asked)} asked, ${fmt(p.noerror)} NOERROR, ${fmt(p.nxdomain)} NXDOMAIN${p.nxdomainNames.length > 0 ? ` (e.g. ${p.nxdomainNames.join(", ")})` : ""}, ${fmt(p.otherRcode)} other codes, ${fmt(p.unanswered)} unanswered.

${targetTable(targets, 1)}
`;
  const categories = stats.map((s) => s.type);
  const figures = [
    {
      file: "propagation-hops.svg",
      title: "Propagation hops (p50)",
      svg: barChart({ title: "Where a change's time goes (p50 of each hop, ms)", categories, yLabel: "ms", series: [
        { name: "API call", values: stats.map((s) => s.api) }, { name: "to etcd (kube2sky)", values: stats.map((s) => s.etcd) }, { name: "to DNS (skydns)", values: stats.map((s) => s.dns) },
      ] }),
    },
    {
      file: "propagation-total.svg",
      title: "Propagation total",
      svg: barChart({ title: "API call to skydns's right answer (ms)", categories, yLabel: "ms", reference: { value: TARGET_P99_MS, label: "p99 target" }, series: [
        { name: "p50", values: stats.map((s) => s.p50) }, { name: "p99", values: stats.map((s) => s.p99) }, { name: "max", values: stats.map((s) => s.max) },
      ] }),
    },
  ];
  return { title: "Propagation: API write to etcd to skydns, per change type", markdown, figures };
}
