import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type EtcdCertificates, type EtcdCluster, makeEtcdCertificates, startEtcdCluster } from "@kube-dns/etcd-process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connectEtcd, type EtcdConfig } from "../src/etcd.js";
import type { Fence } from "../src/fence.js";
import { fenceOn } from "./fence.js";

const dir = mkdtempSync(join(tmpdir(), "kube2sky-etcd-tls-"));
let certs: EtcdCertificates;
let cluster: EtcdCluster;
let fence: Fence;
let withCert: EtcdConfig;

beforeAll(async () => {
  certs = await makeEtcdCertificates(dir);
  cluster = await startEtcdCluster({ size: 3, tls: { certFile: certs.serverCertFile, keyFile: certs.serverKeyFile, caFile: certs.caFile, clientCertAuth: true } });
  // --etcd-server as an operator writes it: every member, comma separated.
  withCert = { server: cluster.clientUrls.join(","), mutationTimeoutMs: 5000, caFile: certs.caFile, certFile: certs.clientCertFile, keyFile: certs.clientKeyFile };
  fence = await fenceOn(withCert);
}, 60_000);

afterAll(async () => {
  await cluster?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe("kube2sky's etcd client over TLS (--etcd-cafile, --etcd-certfile, --etcd-keyfile) and several members (--etcd-server)", () => {
  it("writes and reads back with a client certificate", async () => {
    const client = connectEtcd(withCert);
    try {
      await client.commit([{ kind: "put", key: "/skydns/local/cluster/tls/x", value: "{}" }], fence);
      expect(await client.readPrefix("/skydns/")).toEqual(new Map([["/skydns/local/cluster/tls/x", "{}"]]));
    } finally {
      client.close();
    }
  });

  it("is refused without a client certificate", async () => {
    const client = connectEtcd({ ...withCert, mutationTimeoutMs: 2000, certFile: undefined, keyFile: undefined });
    try {
      await expect(client.readPrefix("/skydns/")).rejects.toThrow();
    } finally {
      client.close();
    }
  });

  it("keeps committing through the other members when one is SIGKILLed, the leader included", async () => {
    const client = connectEtcd(withCert);
    try {
      for (const round of [0, 1]) {
        // Round 0 kills a follower, round 1 the leader (an election follows).
        const leader = await cluster.leader();
        const victim = round === 0 ? cluster.members.find((m) => m !== leader) : leader;
        await victim?.kill();
        try {
          let failures = 0;
          for (let i = 0; i < 20; i++) {
            // The reconciler retries a failed commit with its backoff; so does this loop, with a fixed 250 ms.
            for (;;) {
              try {
                await client.commit([{ kind: "put", key: `/skydns/local/cluster/tls/r${round}-${i}`, value: "{}" }], fence);
                break;
              } catch (error) {
                if (++failures > 20) throw error;
                await new Promise((resolve) => setTimeout(resolve, 250));
              }
            }
          }
          expect((await client.readPrefix(`/skydns/local/cluster/tls/r${round}-`)).size).toBe(20);
          // A follower's death costs at most the one call that met it; an election costs the calls during it.
          if (round === 0) expect(failures).toBeLessThanOrEqual(1);
        } finally {
          await victim?.start();
        }
      }
    } finally {
      client.close();
    }
  }, 60_000);
});
