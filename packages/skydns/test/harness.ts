import { startEtcd, type EtcdServer } from "@kube-dns/etcd-process";
import { Writable } from "node:stream";
import { Etcd3 } from "etcd3";
import { Registry } from "prom-client";
import { createLogger, type Logger } from "@kube-dns/log";
import { parseFlags, startSkyDNS, type SkyDNS } from "../src/index.js";

/** Cluster is a real etcd, a client on it and a skydns started in this process. */
export interface Cluster {
  readonly etcd: EtcdServer;
  readonly client: Etcd3;
  readonly skydns: SkyDNS;
  readonly port: number;
  /** metric reads one sample of skydns's /metrics registry, summed over label sets matching `labels`. */
  metric(name: string, labels?: Record<string, string>): Promise<number>;
  stop(): Promise<void>;
}

/** startCluster starts etcd, writes nothing, and starts skydns with flags (plus --addr/--machines/--metrics-addr). */
export async function startCluster(flags: readonly string[] = []): Promise<Cluster> {
  const etcd = await startEtcd();
  const client = new Etcd3({ hosts: etcd.clientUrl });
  const skydns = await startOn(etcd.clientUrl, flags);
  return {
    etcd,
    client,
    skydns,
    port: skydns.udpAddress.port,
    metric: (name, labels) => metricOf(skydns.registry, name, labels),
    async stop() {
      await skydns.stop();
      client.close();
      await etcd.stop();
    },
  };
}

/**
 * startOn starts an in-process skydns against an etcd URL, quiet, on free loopback ports. Without
 * --nameservers it gets --no-rec, so that no test ever forwards to the machine's resolv.conf servers.
 */
export function startOn(etcdUrl: string, flags: readonly string[] = []): Promise<SkyDNS> {
  const forwarding = flags.includes("--nameservers") ? [] : ["--no-rec"];
  const config = parseFlags(["--addr", "127.0.0.1:0", "--machines", etcdUrl, "--metrics-addr", "", ...forwarding, ...flags], {});
  return startSkyDNS(config, { log: createLogger("skydns", "silent"), registry: new Registry() });
}

/** LogLine is one JSON line skydns logged: its message and fields. */
export interface LogLine {
  readonly msg: string;
  readonly [field: string]: unknown;
}

/** capturedLog returns a logger at warn whose lines land, parsed, in lines. */
export function capturedLog(): { log: Logger; lines: LogLine[] } {
  const lines: LogLine[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString("utf8").split("\n")) if (line !== "") lines.push(JSON.parse(line) as LogLine);
      done();
    },
  });
  return { log: createLogger("skydns", "warn", sink), lines };
}

/** metricOf sums the samples of a metric whose labels include `labels`. */
export async function metricOf(registry: Registry, name: string, labels: Record<string, string> = {}): Promise<number> {
  const metric = registry.getSingleMetric(name);
  if (metric === undefined) throw new Error(`no metric ${name}`);
  const { values } = await metric.get();
  return values
    .filter((v) => Object.entries(labels).every(([k, want]) => String((v.labels as Record<string, unknown>)[k]) === want))
    .reduce((sum, v) => sum + v.value, 0);
}
