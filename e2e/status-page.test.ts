import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { dumpDom, screenshot } from "./harness/chromium.js";
import { eventually } from "./harness/poll.js";
import { TRANSCRIPT_DIR } from "./harness/transcript.js";
import { usePod } from "./harness/use-pod.js";

// What the page shows, read from the DOM Chromium built (attributes the page sets for each item).
const containerOk = (dom: string, name: string): string | undefined => new RegExp(`data-container="${name}" data-ok="(true|false)"`).exec(dom)?.[1];
const recordCount = (dom: string, kind: string): number | undefined => {
  const found = new RegExp(`data-kind="${kind}">${kind} <b>(\\d+)</b>`).exec(dom)?.[1];
  return found === undefined ? undefined : Number(found);
};
const chartPoints = (dom: string, id: string): number => Number(new RegExp(`<svg id="${id}"[^>]*data-points="(\\d+)"`).exec(dom)?.[1] ?? "0");

const SENT_TO_INDEXED = "kubedns_skydns_programming_sent_to_indexed_seconds_count";
const SEEN_TO_COMMITTED = "kubedns_kube2sky_programming_seen_to_committed_seconds_count";
const TRIGGER_TO_SEEN = "kubedns_kube2sky_programming_trigger_to_seen_seconds_count";

describe("the status page, in headless Chromium", () => {
  const pod = usePod({ statusPage: true, queryLog: false });
  const page = async (): Promise<string> => (await fetch(pod().statusUrl, { signal: AbortSignal.timeout(10_000) })).text();

  it("times a new service's programming on both /metrics, and the page shows the pod's health, records, traffic and that change", async () => {
    const before = {
      skydns: (await pod().skydnsMetric(SENT_TO_INDEXED)) ?? 0,
      committed: (await pod().kube2skyMetric(SEEN_TO_COMMITTED, { kind: "service" })) ?? 0,
      trigger: (await pod().kube2skyMetric(TRIGGER_TO_SEEN, { kind: "service", trigger: "created" })) ?? 0,
    };
    expect((await pod().kubectl(["create", "service", "clusterip", "status-web", "--tcp=80:8080"])).code).toBe(0);
    await eventually(async () => ((await pod().dig(["+short", "status-web.default.svc.cluster.local"])).stdout.trim() !== "" ? true : undefined), { what: "status-web answered" });
    await eventually(async () => ((await pod().skydnsMetric(SENT_TO_INDEXED)) ?? 0) > before.skydns || undefined, { what: `${SENT_TO_INDEXED} rose` });
    expect((await pod().kube2skyMetric(SEEN_TO_COMMITTED, { kind: "service" })) ?? 0).toBeGreaterThan(before.committed);
    expect((await pod().kube2skyMetric(TRIGGER_TO_SEEN, { kind: "service", trigger: "created" })) ?? 0).toBeGreaterThan(before.trigger);

    // Traffic for the charts: a point needs two samples of the page's timer (5 s apart) with queries between them.
    // Waited for with plain HTTP (cheap); what the page shows is then read from the DOM Chromium builds.
    await eventually(async () => {
      for (let i = 0; i < 5; i++) await pod().dig(["+short", "status-web.default.svc.cluster.local"]);
      return chartPoints(await page(), "qps-chart") >= 1 || undefined;
    }, { what: "a point on the page's qps chart", timeoutMs: 30_000, intervalMs: 1000 });
    const dom = await dumpDom(pod().statusUrl);
    expect(chartPoints(dom, "qps-chart")).toBeGreaterThanOrEqual(1);
    for (const container of ["etcd", "kube2sky", "skydns", "exec-healthz"]) expect(containerOk(dom, container), container).toBe("true");
    expect(dom).toContain('<span id="overall" class="ok">healthy</span>');
    expect(recordCount(dom, "service")).toBe(await pod().skydnsMetric("kubedns_skydns_index_records_by_kind", { kind: "service" }));
    expect(recordCount(dom, "service")).toBeGreaterThanOrEqual(3); // kubernetes, kube-dns, status-web
    expect(dom).toContain('<tr data-object="default/status-web">');
    // The doctor ran when the page started: the pod's three views agreed (kube2sky had synced before the banner).
    expect(dom).toMatch(/<div id="doctor" class="ok"><p>no differences at /);

    mkdirSync(TRANSCRIPT_DIR, { recursive: true });
    const healthy = join(TRANSCRIPT_DIR, "status-page.png");
    await screenshot(pod().statusUrl, healthy);
    console.log(`status page screenshot: ${healthy}`);
  }, 90_000);

  it("marks a hung exec-healthz unhealthy, and healthy again once it answers", async () => {
    const resume = await pod().pause("exec-healthz");
    try {
      await eventually(async () => (containerOk(await page(), "exec-healthz") === "false" ? true : undefined), { what: "exec-healthz marked unhealthy", timeoutMs: 30_000, intervalMs: 500 });
      const dom = await dumpDom(pod().statusUrl);
      expect(containerOk(dom, "exec-healthz")).toBe("false");
      expect(dom).toContain('<span id="overall" class="bad">unhealthy</span>');
      expect(containerOk(dom, "skydns")).toBe("true");
      const unhealthy = join(TRANSCRIPT_DIR, "status-page-unhealthy.png");
      await screenshot(pod().statusUrl, unhealthy);
      console.log(`status page screenshot, exec-healthz hung: ${unhealthy}`);
    } finally {
      resume();
    }
    await eventually(async () => (containerOk(await page(), "exec-healthz") === "true" ? true : undefined), { what: "exec-healthz healthy again", timeoutMs: 30_000, intervalMs: 500 });
  }, 90_000);
});
