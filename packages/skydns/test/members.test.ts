import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { connectEtcd } from "@kube-dns/etcd-feed";
import { type EtcdCertificates, type EtcdCluster, type EtcdServer, makeEtcdCertificates, startEtcdCluster } from "@kube-dns/etcd-process";
import type { Etcd3 } from "etcd3";
import { Registry } from "prom-client";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { parseFlags, startSkyDNS, type SkyDNS } from "../src/index.js";
import { dig, rdata } from "./dig.js";
import { clusterIpService, putAll } from "./fixture.js";
import { capturedLog, startOn } from "./harness.js";

const dir = mkdtempSync(join(tmpdir(), "skydns-members-"));
let certs: EtcdCertificates;
let cluster: EtcdCluster;
let writer: Etcd3;
let skydns: SkyDNS;
let tlsFlags: string[];

beforeAll(async () => {
  certs = await makeEtcdCertificates(dir);
  cluster = await startEtcdCluster({ size: 3, tls: { certFile: certs.serverCertFile, keyFile: certs.serverKeyFile, caFile: certs.caFile, clientCertAuth: true } });
  writer = connectEtcd({ endpoints: cluster.clientUrls, caFile: certs.caFile, certFile: certs.clientCertFile, keyFile: certs.clientKeyFile });
  await putAll(writer, clusterIpService("default", "steady", "10.0.0.50"));
  // skydns's own flags, as the original took them: -ca-cert, -tls-pem, -tls-key.
  tlsFlags = ["--ca-cert", certs.caFile, "--tls-pem", certs.clientCertFile, "--tls-key", certs.clientKeyFile];
  skydns = await startOn(cluster.clientUrls.join(","), tlsFlags);
  await skydns.ready();
}, 60_000);

afterAll(async () => {
  await skydns?.stop();
  writer?.close();
  await cluster?.stop();
  rmSync(dir, { recursive: true, force: true });
});

// Writes through whichever members answer, retrying while the cluster elects a leader, as kube2sky does.
async function write(name: string, ip: string): Promise<number> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await putAll(writer, clusterIpService("default", name, ip));
    } catch (error) {
      if (attempt >= 40) throw error;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }
}

async function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, reject) => (timer = setTimeout(() => reject(new Error(`${what}: not within ${ms} ms`)), ms)));
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

const answer = async (server: SkyDNS, name: string): Promise<string[]> => rdata((await dig(server.udpAddress.port, ["+noedns", `${name}.default.svc.cluster.local`, "A"])).answer);

describe("skydns with several --machines over TLS", () => {
  it("keeps its watch going through each member's death in turn, the leader's included, and answers every change", async () => {
    // Each member dies once, so the one the watch is on surely does; the second to die is the leader then.
    const leader = await cluster.leader();
    const [first, last] = cluster.members.filter((m) => m !== leader) as [EtcdServer, EtcdServer];
    const order = [first, leader, last];
    for (const [round, member] of order.entries()) {
      await member.kill();
      try {
        expect(await answer(skydns, "steady")).toEqual(["10.0.0.50"]);
        const revision = await write(`after-${round}`, `10.0.1.${round}`);
        await within(skydns.waitForRevision(revision), 20_000, `skydns at revision ${revision} with ${member.name} down`);
        expect(await answer(skydns, `after-${round}`)).toEqual([`10.0.1.${round}`]);
        expect(skydns.watchState()).toBe("watching");
      } finally {
        await member.start();
      }
    }
  }, 120_000);

  it("loads its records through the members that answer when one of them is down at its start", async () => {
    const leader = await cluster.leader();
    const down = cluster.members.find((m) => m !== leader) as EtcdServer;
    await down.kill();
    try {
      // Its client tries the members in random order: the dead one is passed over after the first refusal.
      const fresh = await startOn(cluster.clientUrls.join(","), tlsFlags);
      try {
        await within(fresh.ready(), 15_000, "a skydns started with a member down loads");
        expect(await answer(fresh, "steady")).toEqual(["10.0.0.50"]);
      } finally {
        await fresh.stop();
      }
    } finally {
      await down.start();
    }
  }, 60_000);

  it("stays unready without a client certificate, and says why in one line", async () => {
    const { log, lines } = capturedLog();
    const config = parseFlags(["--addr", "127.0.0.1:0", "--machines", cluster.clientUrls.join(","), "--metrics-addr", "", "--no-rec", "--ca-cert", certs.caFile], {});
    const refused = await startSkyDNS(config, { log, registry: new Registry() });
    try {
      await vi.waitFor(() => expect(lines.map((line) => String(line["err"]))).toContainEqual(expect.stringMatching(/^etcd refused our client certificate/)), { timeout: 20_000, interval: 100 });
      expect(refused.watchState()).toBe("loading");
      expect((await dig(refused.udpAddress.port, ["steady.default.svc.cluster.local", "A"])).status).toBe("SERVFAIL");
    } finally {
      await refused.stop();
    }
  }, 30_000);

  it("refuses to start with TLS files it cannot read", async () => {
    await expect(startOn(cluster.clientUrls.join(","), ["--ca-cert", join(dir, "missing.crt")])).rejects.toThrow(/missing\.crt/);
  });
});
