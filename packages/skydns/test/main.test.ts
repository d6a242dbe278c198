import { type ChildProcess, execFile, spawn } from "node:child_process";
import { createSocket } from "node:dgram";
import { promisify } from "node:util";
import { createInterface } from "node:readline";
import { freePort, startEtcd, type EtcdServer } from "@kube-dns/etcd-process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { dig } from "./dig.js";
import { clusterIpService, putAll } from "./fixture.js";
import { Etcd3 } from "etcd3";

const run = promisify(execFile);
const MAIN = ["--conditions=source", "--import", "tsx", "packages/skydns/src/main.ts"];
const CWD = new URL("../../../", import.meta.url).pathname;

let etcd: EtcdServer;
beforeAll(async () => {
  etcd = await startEtcd();
  const client = new Etcd3({ hosts: etcd.clientUrl });
  await putAll(client, clusterIpService("default", "kubernetes", "10.0.0.1"));
  client.close();
});
afterAll(async () => {
  await etcd?.stop();
});

function spawnMain(args: readonly string[]): ChildProcess {
  return spawn(process.execPath, [...MAIN, ...args], { cwd: CWD, stdio: ["ignore", "pipe", "pipe"] });
}

// Resolves with the first JSON log line that matches, or rejects when the process exits first.
function logLine(child: ChildProcess, matches: (entry: Record<string, unknown>) => boolean): Promise<Record<string, unknown>> {
  return new Promise((resolve, reject) => {
    const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
    lines.on("line", (line) => {
      try {
        const entry = JSON.parse(line) as Record<string, unknown>;
        if (matches(entry)) {
          lines.close();
          resolve(entry);
        }
      } catch {
        // not a log line
      }
    });
    child.once("exit", (code) => reject(new Error(`skydns exited with ${code}`)));
  });
}

describe("the skydns process", () => {
  it("lists every flag with its environment variable in --help", async () => {
    const child = spawnMain(["--help"]);
    let out = "";
    child.stdout?.on("data", (chunk: Buffer) => (out += chunk.toString()));
    expect(await new Promise((resolve) => child.once("exit", resolve))).toBe(0);
    const flags = { "--addr": "SKYDNS_ADDR", "--domain": "SKYDNS_DOMAIN", "--machines": "ETCD_MACHINES", "--path-prefix": "SKYDNS_PATH_PREFIX", "--nameservers": "SKYDNS_NAMESERVERS", "--no-rec": "SKYDNS_NO_REC", "--ns-rotate": "SKYDNS_NS_ROTATE", "--rtimeout": "SKYDNS_RTIMEOUT", "--rcache": "SKYDNS_RCACHE", "--forward-max-concurrent": "SKYDNS_FORWARD_MAX_CONCURRENT", "--tcp-max-connections": "SKYDNS_TCP_MAX_CONNECTIONS", "--tcp-idle-timeout": "SKYDNS_TCP_IDLE_TIMEOUT", "--ttl": "SKYDNS_TTL", "--min-ttl": "SKYDNS_MIN_TTL", "--ns-address": "SKYDNS_NS_ADDRESS", "--wildcards": "SKYDNS_WILDCARDS", "--no-round-robin": "SKYDNS_ROUND_ROBIN", "--metrics-addr": "SKYDNS_METRICS_ADDR", "--log-level": "SKYDNS_LOG_LEVEL", "--verbose": "SKYDNS_VERBOSE", "--workers": "SKYDNS_WORKERS" };
    for (const [flag, env] of Object.entries(flags)) {
      expect(out).toContain(flag);
      expect(out).toContain(env);
    }
  });

  it("refuses a bad flag value with a non-zero exit", async () => {
    const child = spawnMain(["--rtimeout=soon"]);
    child.stderr?.resume();
    expect(await new Promise((resolve) => child.once("exit", resolve))).not.toBe(0);
  });

  it("exits 1 with a plain message when its DNS address is taken", async () => {
    const taken = createSocket("udp4");
    await new Promise<void>((resolve) => taken.bind(0, "127.0.0.1", resolve));
    try {
      const child = spawnMain([`--addr=127.0.0.1:${taken.address().port}`, `--machines=${etcd.clientUrl}`, "--metrics-addr=", "--no-rec"]);
      let stderr = "";
      child.stderr?.on("data", (chunk: Buffer) => (stderr += chunk.toString("utf8")));
      child.stdout?.resume();
      expect(await new Promise((resolve) => child.once("exit", resolve))).toBe(1);
      expect(stderr).toContain(`skydns: cannot listen on 127.0.0.1:${taken.address().port}: the address is already in use`);
      expect(stderr).not.toMatch(/\n\s+at /);
    } finally {
      taken.close();
    }
  });

  it("serves DNS and metrics, logs each query with --verbose, and exits 0 on SIGTERM", async () => {
    const [port, metricsPort] = [await freePort(), await freePort()];
    const child = spawnMain(["--addr", `127.0.0.1:${port}`, "--machines", etcd.clientUrl, "--metrics-addr", `127.0.0.1:${metricsPort}`, "--no-rec", "--verbose"]);
    child.stderr?.resume();
    try {
      await logLine(child, (entry) => entry["msg"] === "loaded records from etcd");
      const queryLogged = logLine(child, (entry) => entry["msg"] === "query" && entry["qname"] === "Kubernetes.default.svc.cluster.local");
      expect((await dig(port, ["+noedns", "Kubernetes.default.svc.cluster.local", "A"])).answer).toHaveLength(1);
      expect(await queryLogged).toMatchObject({ qtype: "A", rcode: "NOERROR", proto: "udp" });
      // exec-healthz's probe: nslookup asks A and AAAA and must exit 0.
      const nslookup = await run("nslookup", [`-port=${port}`, "kubernetes.default.svc.cluster.local", "127.0.0.1"], { timeout: 20_000 });
      expect(nslookup.stdout).toMatch(/Address: 10\.0\.0\.1/);
      const nxLogged = logLine(child, (entry) => entry["msg"] === "query" && entry["qname"] === "nope.cluster.local");
      await dig(port, ["nope.cluster.local", "AAAA"]);
      expect(await nxLogged).toMatchObject({ qtype: "AAAA", rcode: "NXDOMAIN" });
      const metrics = await (await fetch(`http://127.0.0.1:${metricsPort}/metrics`)).text();
      const server = `dns://127.0.0.1:${port}`;
      // dig and nslookup; CoreDNS's names and labels.
      expect(metrics).toContain(`coredns_dns_requests_total{server="${server}",zone="cluster.local.",view="",proto="udp",family="1",type="A"} 2\n`);
      expect(metrics).toContain(`coredns_dns_responses_total{server="${server}",zone="cluster.local.",view="",rcode="NXDOMAIN",plugin="etcd"} 1\n`);
      expect(metrics).toMatch(/^coredns_dns_request_duration_seconds_bucket\{.*type="A",le="\+Inf"\} 2$/m);
      expect(metrics).toMatch(/^process_cpu_seconds_total /m);
      expect(metrics).toMatch(/^kubedns_skydns_watch_state\{state="watching"\} 1$/m);
      expect((await fetch(`http://127.0.0.1:${metricsPort}/ready`)).status).toBe(200);
    } finally {
      child.kill("SIGTERM");
    }
    expect(await new Promise((resolve) => child.once("exit", resolve))).toBe(0);
  });
});
