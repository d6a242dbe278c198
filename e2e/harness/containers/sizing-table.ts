import type { ManifestContainer } from "./manifest-pod.js";
import type { ContainerUsage } from "./usage.js";

/** SizingRow is one container's measurement at scale, next to what the manifest gives it. */
export interface SizingRow {
  readonly container: ManifestContainer;
  /** Over the whole run: the peaks. */
  readonly whole: ContainerUsage;
  /** While kube2sky and skydns took in the cluster, and while skydns answered the query load. */
  readonly sync: ContainerUsage;
  readonly queries: ContainerUsage;
}

const MiB = 1024 * 1024;

/** sizingTable renders the rows as the Markdown table of manifests/README.md (Sizing). */
export function sizingTable(rows: readonly SizingRow[]): string {
  const mib = (bytes: number): string => `${Math.round(bytes / MiB)}Mi`;
  const cpu = (millicores: number): string => (millicores === 0 ? "-" : `${millicores}m`);
  const lines = [
    "| container | RSS before | peak RSS | peak anon | CPU, sync (busiest second) | CPU at the query load | throttled periods | requests cpu / memory | limits cpu / memory |",
    "|---|---|---|---|---|---|---|---|---|",
  ];
  for (const { container, whole, sync, queries } of rows) {
    lines.push(
      `| ${container.name} | ${mib(whole.firstRssBytes)} | ${mib(whole.peakRssBytes)} | ${mib(whole.peakAnonBytes)} | ${sync.cpuSeconds.toFixed(1)} s (${sync.peakMillicores}m) | ` +
        `${Math.round((1000 * queries.cpuSeconds) / Math.max(queries.windowSeconds, 1))}m | ${whole.throttledPeriods} | ` +
        `${cpu(container.requests.millicores)} / ${mib(container.requests.bytes)} | ${cpu(container.limits.millicores)} / ${mib(container.limits.bytes)} |`,
    );
  }
  return lines.join("\n");
}
