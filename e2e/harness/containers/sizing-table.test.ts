import { describe, expect, it } from "vitest";
import { sizingTable } from "./sizing-table.js";
import type { ContainerUsage } from "./usage.js";

const MiB = 1024 * 1024;

function usage(fields: Partial<ContainerUsage>): ContainerUsage {
  return { firstRssBytes: 0, peakRssBytes: 0, peakAnonBytes: 0, windowSeconds: 10, cpuSeconds: 0, peakMillicores: 0, throttledPeriods: 0, throttledSeconds: 0, oomKills: 0, ...fields };
}

describe("sizingTable", () => {
  it("renders one Markdown row per container, memory in Mi and CPU in millicores", () => {
    const container = { name: "skydns", requests: { millicores: 150, bytes: 140 * MiB }, limits: { millicores: 1000, bytes: 200 * MiB } };
    const table = sizingTable([
      {
        container,
        whole: usage({ firstRssBytes: 80 * MiB, peakRssBytes: 132 * MiB, peakAnonBytes: 89 * MiB, throttledPeriods: 2 }),
        sync: usage({ cpuSeconds: 4.74, peakMillicores: 496 }),
        queries: usage({ cpuSeconds: 2.38, windowSeconds: 20 }),
      },
    ]);
    const lines = table.split("\n");
    expect(lines).toHaveLength(3);
    expect(lines[2]).toBe("| skydns | 80Mi | 132Mi | 89Mi | 4.7 s (496m) | 119m | 2 | 150m / 140Mi | 1000m / 200Mi |");
  });
});
