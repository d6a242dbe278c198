import { afterEach, describe, expect, it, vi } from "vitest";
import { type ExecHealthz, startExecHealthz } from "../src/index.js";
import { get } from "./helpers.js";

const LOOPBACK = { address: "127.0.0.1", port: 0, periodMs: 50 };
let running: ExecHealthz | undefined;

async function start(cmd: string, extra: Parameters<typeof startExecHealthz>[0] = {}): Promise<ExecHealthz> {
  running = await startExecHealthz({ ...LOOPBACK, cmd, ...extra });
  return running;
}

/** healthzWhen polls /healthz until its body satisfies accept, and returns that answer. */
function healthzWhen(url: string, accept: (body: string) => boolean) {
  return vi.waitFor(async () => {
    const answer = await get(`${url}/healthz`);
    if (!accept(answer.body)) throw new Error(`/healthz answered ${JSON.stringify(answer.body)}, not matching ${String(accept)}`);
    return answer;
  }, { timeout: 10_000, interval: 25 });
}

describe("startExecHealthz", () => {
  afterEach(async () => {
    await running?.stop();
    running = undefined;
  });

  it("answers 200 with the output while the command succeeds", async () => {
    const { url } = await start("echo Address: 10.0.0.1");
    const answer = await healthzWhen(url, (body) => body.startsWith("ok\n"));
    expect(answer).toEqual({ status: 200, body: "ok\nAddress: 10.0.0.1\n", contentType: "text/plain; charset=utf-8" });
    expect((await get(`${url}/healthz`, "POST")).status).toBe(200);
  });

  it("answers 503 with the reason and the output when the command fails, stderr included", async () => {
    const { url } = await start("echo 'server cannot find kubernetes' >&2; exit 1");
    const answer = await healthzWhen(url, (body) => body.startsWith("Healthz probe error"));
    expect(answer.status).toBe(503);
    expect(answer.body).toMatch(/^Healthz probe error: Result of last exec: server cannot find kubernetes\n, at \S+, error exit status 1\n$/);
  });

  it("answers while a command hangs: 200 from the seed, then 503 once it is older than the latency", async () => {
    const { url } = await start("sleep 10", { timeoutMs: 10_000, latencyMs: 300 });
    expect(await get(`${url}/healthz`)).toMatchObject({ status: 200, body: "ok: no run has finished yet (seeded at start)\n" });
    const stale = await healthzWhen(url, (body) => body.startsWith("Latest result too old"));
    expect(stale.status).toBe(503);
  });

  it("answers 503 naming the timeout once a hung command is killed", async () => {
    const { url } = await start("sleep 10", { timeoutMs: 200 });
    const answer = await healthzWhen(url, (body) => body.includes("timed out"));
    expect(answer.status).toBe(503);
    expect(answer.body).toContain("error timed out after 200ms");
    expect((await get(`${url}/metrics`)).body).toMatch(/^kubedns_exec_healthz_runs_total\{result="timeout"\} [1-9]/m);
  });

  it("cuts megabytes of output and marks the cut", async () => {
    const { url } = await start("head -c 3000000 /dev/zero | tr '\\0' x; exit 1");
    const answer = await healthzWhen(url, (body) => body.startsWith("Healthz probe error"));
    expect(answer.status).toBe(503);
    expect(answer.body).toContain(`[output cut: ${3_000_000 - 64 * 1024} more bytes dropped]`);
    expect(answer.body.length).toBeLessThan(70 * 1024);
  });

  it("counts runs by result and serves an index at / and 404 elsewhere", async () => {
    const { url } = await start("true");
    await healthzWhen(url, (body) => body === "ok\n");
    const metrics = await get(`${url}/metrics`);
    expect(metrics.body).toMatch(/^kubedns_exec_healthz_runs_total\{result="success"\} [1-9]/m);
    expect(metrics.body).toMatch(/^kubedns_exec_healthz_run_duration_seconds_count [1-9]/m);
    expect(metrics.body).toMatch(/^kubedns_exec_healthz_last_success_timestamp_seconds \d{10}/m);
    const index = await get(`${url}/`);
    expect(index.status).toBe(200);
    expect(index.body).toContain('href="/healthz"');
    expect((await get(`${url}/quit`)).status).toBe(404);
  });

  it("serves the metrics page to GET and HEAD only, in the Prometheus text format", async () => {
    const { url } = await start("true");
    const page = await get(`${url}/metrics`);
    expect(page.contentType).toBe("text/plain; version=0.0.4; charset=utf-8");
    expect(await get(`${url}/metrics`, "HEAD")).toMatchObject({ status: 200, body: "" });
    expect((await get(`${url}/metrics`, "POST")).status).toBe(404);
    expect((await get(`${url}/healthz?verbose=1`)).status).toBe(200);
  });

  it("rejects when its port is taken, running no command", async () => {
    const { port } = await start("true");
    await expect(startExecHealthz({ ...LOOPBACK, port, cmd: "true" })).rejects.toThrow(/EADDRINUSE/);
  });

  it("stops twice without error and frees its port", async () => {
    const healthz = await start("true");
    await Promise.all([healthz.stop(), healthz.stop()]);
    await expect(get(`${healthz.url}/healthz`)).rejects.toThrow();
  });
});
