import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type EtcdCertificates, type EtcdServer, makeEtcdCertificates, startEtcd } from "@kube-dns/etcd-process";
import { Etcd3 } from "etcd3";
import { Registry } from "prom-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseFlags, startSkyDNS, type SkyDNS } from "../src/index.js";
import { dig } from "./dig.js";
import { headlessService, putAll } from "./fixture.js";
import { capturedLog } from "./harness.js";

// What a skydns exposes to whoever can reach it: no open recursion, minimal ANY, nothing secret over HTTP.
const dir = mkdtempSync(join(tmpdir(), "skydns-exposure-"));
let etcd: EtcdServer;
let client: Etcd3;
let certs: EtcdCertificates;
const started: SkyDNS[] = [];

async function start(flags: readonly string[], resolvConfPath = join(dir, "resolv.conf")): Promise<SkyDNS> {
  const config = parseFlags(["--addr", "127.0.0.1:0", "--machines", etcd.clientUrl, "--metrics-addr", "", ...flags], {});
  const skydns = await startSkyDNS(config, { log: capturedLog().log, registry: new Registry(), resolvConfPath });
  started.push(skydns);
  return skydns;
}

beforeAll(async () => {
  // A resolv.conf with no nameserver line: what a pod without upstreams has.
  writeFileSync(join(dir, "resolv.conf"), "search cluster.local\noptions ndots:5\n");
  certs = await makeEtcdCertificates(dir);
  etcd = await startEtcd();
  client = new Etcd3({ hosts: etcd.clientUrl });
  await putAll(client, headlessService("default", "wide", Array.from({ length: 40 }, (_, i) => ({ ip: `10.244.7.${i + 1}` }))));
}, 60_000);

afterAll(async () => {
  await Promise.all(started.map((skydns) => skydns.stop()));
  client?.close();
  await etcd?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe("no open recursion", () => {
  it("refuses names outside the zone, without RA, when resolv.conf names no upstream and --nameservers is empty", async () => {
    const skydns = await start([]);
    await skydns.ready();
    const outside = await dig(skydns.udpAddress.port, ["www.example.org", "A"]);
    expect(outside.status).toBe("REFUSED");
    expect(outside.answer).toEqual([]);
    expect(outside.flags).not.toContain("ra");
    const inside = await dig(skydns.udpAddress.port, ["wide.default.svc.cluster.local", "A"]);
    expect(inside.status).toBe("NOERROR");
    expect(inside.flags).not.toContain("ra");
  });

  it("refuses them with --no-rec even when --nameservers names an upstream", async () => {
    const skydns = await start(["--no-rec", "--nameservers", "127.0.0.1:9"]);
    await skydns.ready();
    expect((await dig(skydns.udpAddress.port, ["www.example.org", "A"])).status).toBe("REFUSED");
  });
});

describe("ANY (RFC 8482)", () => {
  let port: number;
  beforeAll(async () => {
    const skydns = await start(["--no-rec"]);
    await skydns.ready();
    port = skydns.udpAddress.port;
  });

  it.each([["udp", []], ["tcp", ["+tcp"]]])("answers ANY for a name with 40 records with one HINFO over %s", async (_proto, flags) => {
    const result = await dig(port, [...flags, "wide.default.svc.cluster.local", "ANY"]);
    expect(result.status).toBe("NOERROR");
    expect(result.answer).toEqual(['wide.default.svc.cluster.local. 30 IN HINFO "RFC8482" ""']);
    expect(result.flags).not.toContain("tc");
  });

  it("answers ANY for a name that does not exist with NXDOMAIN, and outside the zone with REFUSED", async () => {
    expect((await dig(port, ["nope.default.svc.cluster.local", "ANY"])).status).toBe("NXDOMAIN");
    expect((await dig(port, ["example.org", "ANY"])).status).toBe("REFUSED");
  });
});

describe("the HTTP endpoints", () => {
  it("serve no key, certificate or file path, and nothing but /metrics, /health and /ready", async () => {
    // Client TLS files given (etcd here is plain, so skydns is not ready): none of them may show over HTTP.
    const skydns = await start(["--no-rec", "--metrics-addr", "127.0.0.1:0", "--ca-cert", certs.caFile, "--tls-pem", certs.clientCertFile, "--tls-key", certs.clientKeyFile]);
    const base = `http://127.0.0.1:${skydns.metricsAddress!.port}`;
    const secrets = [dir, "BEGIN", "PRIVATE", readFileSync(certs.clientKeyFile, "utf8").split("\n")[1]!];
    for (const path of ["/metrics", "/health", "/ready", "/debug/pprof/", "/../../etc/passwd", "/metrics/../ready", "/env", "/config"]) {
      const response = await fetch(base + path);
      const body = await response.text();
      for (const secret of secrets) expect(body, `${path} shows ${secret}`).not.toContain(secret);
      if (!["/metrics", "/health", "/ready"].includes(new URL(base + path).pathname)) expect(response.status, path).toBe(404);
    }
  });
});
