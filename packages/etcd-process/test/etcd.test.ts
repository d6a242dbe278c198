import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EtcdNotFoundError, type EtcdServer, makeEtcdCertificates, startEtcd, startEtcdCluster } from "../src/index.js";

function etcdctl(server: EtcdServer, ...args: string[]): string {
  return execFileSync("etcdctl", ["--endpoints", server.clientUrl, ...args], { encoding: "utf8" });
}

describe("startEtcd", () => {
  let server: EtcdServer;
  beforeAll(async () => {
    server = await startEtcd();
  });
  afterAll(async () => {
    await server?.stop();
  });

  it("serves a real etcd on loopback that etcdctl can write and read", () => {
    expect(server.clientUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    etcdctl(server, "put", "/skydns/local/cluster/svc/default/web/1", '{"host":"10.0.0.1"}');
    expect(etcdctl(server, "get", "--prefix", "/skydns")).toBe('/skydns/local/cluster/svc/default/web/1\n{"host":"10.0.0.1"}\n');
  });

  it("keeps its data across halt and start, on the same URL", async () => {
    etcdctl(server, "put", "/survives", "yes");
    const firstPid = server.pid;
    await server.halt();
    expect(() => etcdctl(server, "--dial-timeout=300ms", "--command-timeout=500ms", "get", "/survives")).toThrow();
    await server.start();
    expect(server.pid).not.toBe(firstPid);
    expect(etcdctl(server, "get", "--print-value-only", "/survives")).toBe("yes\n");
  });
});

describe("startEtcd cleanup and errors", () => {
  it("removes its temporary data dir and process on stop", async () => {
    const server = await startEtcd();
    const { dataDir, pid } = server;
    expect(existsSync(dataDir)).toBe(true);
    await server.stop();
    await server.stop(); // twice is fine
    expect(existsSync(dataDir)).toBe(false);
    expect(() => process.kill(pid, 0)).toThrow();
  });

  it("names the setup command when the etcd binary is missing", async () => {
    const attempt = startEtcd({ binary: "/nonexistent/etcd" });
    await expect(attempt).rejects.toBeInstanceOf(EtcdNotFoundError);
    await expect(attempt).rejects.toThrow(/\.\/kube-dns setup/);
  });

  it("reports etcd's own output when it cannot start", async () => {
    const first = await startEtcd();
    try {
      const port = Number(new URL(first.clientUrl).port);
      await expect(startEtcd({ clientPort: port, readyTimeoutMs: 5000 })).rejects.toThrow(/address already in use|exited/);
    } finally {
      await first.stop();
    }
  });
});

describe("startEtcdCluster", () => {
  it("runs three members that agree on one leader, and keeps serving when the leader is SIGKILLed", async () => {
    const cluster = await startEtcdCluster({ size: 3 });
    try {
      const endpoints = cluster.clientUrls.join(",");
      const ctl = (...args: string[]): string => execFileSync("etcdctl", ["--endpoints", endpoints, "--command-timeout=5s", ...args], { encoding: "utf8" });
      expect(ctl("member", "list").trim().split("\n")).toHaveLength(3);
      ctl("put", "/before", "1");
      const leader = await cluster.leader();
      await leader.kill();
      const others = cluster.members.filter((member) => member !== leader).map((member) => member.clientUrl).join(",");
      // The others elect a new leader after etcd's election timeout (1 s); writes then go through again.
      let written = false;
      for (let attempt = 0; attempt < 20 && !written; attempt++) {
        try {
          execFileSync("etcdctl", ["--endpoints", others, "--command-timeout=1s", "put", "/after", "2"], { stdio: "ignore" });
          written = true;
        } catch {
          await new Promise((resolve) => setTimeout(resolve, 250));
        }
      }
      expect(written).toBe(true);
      expect(await cluster.leader()).not.toBe(leader);
      await leader.start();
      expect(execFileSync("etcdctl", ["--endpoints", leader.clientUrl, "get", "--print-value-only", "/after"], { encoding: "utf8" })).toBe("2\n");
    } finally {
      await cluster.stop();
    }
  }, 60_000);
});

describe("startEtcdCluster over TLS", () => {
  it("serves clients over https with --client-cert-auth, says which member leads, and brings a killed member back", async () => {
    const dir = mkdtempSync(join(tmpdir(), "etcd-process-tls-"));
    try {
      const certs = await makeEtcdCertificates(dir);
      const cluster = await startEtcdCluster({ size: 3, tls: { certFile: certs.serverCertFile, keyFile: certs.serverKeyFile, caFile: certs.caFile, clientCertAuth: true } });
      try {
        expect(cluster.clientUrls.every((url) => url.startsWith("https://127.0.0.1:"))).toBe(true);
        const endpoints = cluster.clientUrls.join(",");
        const tlsArgs = ["--cacert", certs.caFile, "--cert", certs.clientCertFile, "--key", certs.clientKeyFile];
        const ctl = (...args: string[]): string => execFileSync("etcdctl", ["--endpoints", endpoints, "--command-timeout=5s", ...args], { encoding: "utf8" });
        ctl(...tlsArgs, "put", "/tls", "yes");
        expect(ctl(...tlsArgs, "get", "--print-value-only", "/tls")).toBe("yes\n");
        // No client certificate: refused.
        expect(() => execFileSync("etcdctl", ["--endpoints", endpoints, "--cacert", certs.caFile, "--command-timeout=2s", "get", "/tls"], { stdio: "ignore" })).toThrow();
        const leader = await cluster.leader();
        await leader.kill();
        await leader.start();
        expect(execFileSync("etcdctl", ["--endpoints", leader.clientUrl, ...tlsArgs, "get", "--print-value-only", "/tls"], { encoding: "utf8" })).toBe("yes\n");
      } finally {
        await cluster.stop();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
