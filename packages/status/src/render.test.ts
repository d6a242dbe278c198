import { describe, expect, it } from "vitest";
import { renderPage } from "./render.js";
import type { Snapshot } from "./snapshot.js";

const snapshot = (ok: boolean): Snapshot => ({
  at: Date.parse("2026-01-01T10:00:00Z"),
  containers: [
    { name: "etcd", url: "http://127.0.0.1:2379/health", ok: true, status: "200", detail: '{"health":"true"}' },
    { name: "exec-healthz", url: "http://127.0.0.1:8080/healthz", ok, status: ok ? "200" : "no answer", detail: ok ? "ok" : "<script>alert(1)</script>" },
  ],
  recordKinds: new Map([["service", 3], ["ptr", 2]]),
  skydnsSamples: [],
  hops: [{ name: "sent -> skydns index", metric: "m", count: 2, meanSeconds: 0.004 }],
  changes: [{ kind: "service", type: "add", object: "default/web", triggerAt: 1000, trigger: "created", seenAt: 1300, sentAt: 1310, indexedAt: 1312 }],
});

describe("renderPage", () => {
  const page = (ok: boolean) =>
    renderPage({ snapshot: snapshot(ok), series: [{ at: 0, qps: 1, p50Seconds: 0.001, p99Seconds: 0.002 }, { at: 5000, qps: 3, p50Seconds: undefined, p99Seconds: undefined }], doctor: { state: "absent" }, about: [["dns", "127.0.0.1:53"]], refreshSeconds: 5 });

  it("shows each container, the records, both charts, the hops, the latest change and that the doctor did not run", () => {
    const html = page(true);
    expect(html).toContain('<span id="overall" class="ok">healthy</span>');
    expect(html).toContain('data-container="exec-healthz" data-ok="true"');
    expect(html).toContain('data-kind="service">service <b>3</b>');
    expect(html).toContain('data-kind="total">total <b>5</b>');
    expect(html).toMatch(/<svg id="qps-chart"[^>]*data-points="2"/);
    expect(html).toMatch(/<svg id="latency-chart"[^>]*data-points="1"/);
    expect(html).toContain('<tr data-object="default/web">');
    expect(html).toContain("300.0 ms");
    expect(html).toContain("doctor not run");
    expect(html).toContain('http-equiv="refresh" content="5"');
  });

  it("marks an unhealthy container and escapes what the probe answered", () => {
    const html = page(false);
    expect(html).toContain('<span id="overall" class="bad">unhealthy</span>');
    expect(html).toContain('data-container="exec-healthz" data-ok="false"');
    expect(html).not.toContain("<script>");
    expect(html).toContain("&lt;script&gt;");
  });

  it("shows the doctor's verdict: its differences and first lines", () => {
    const verdict = { checkedAt: new Date("2026-01-01T09:59:00Z"), durationMs: 1500, differences: 2, lines: ["missing A web.default", "extra PTR 10.0.0.9"] };
    const html = renderPage({ snapshot: snapshot(true), series: [], doctor: { state: "done", verdict }, about: [], refreshSeconds: 5 });
    expect(html).toContain("2 differences at 09:59:00 UTC, in 1.5 s");
    expect(html).toContain("<li>extra PTR 10.0.0.9</li>");
  });
});
