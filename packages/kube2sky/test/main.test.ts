import { type ChildProcess, spawn } from "node:child_process";

import { type AddressInfo, createServer } from "node:net";
import { startDevApiServer } from "@kube-dns/dev-apiserver";
import { freePort, startEtcd, type EtcdServer, terminate } from "@kube-dns/etcd-process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { A, etcdctlGet } from "./etcdctl.js";
import { logLine } from "./process-log.js";

const MAIN = ["--conditions=source", "--import", "tsx", "packages/kube2sky/src/main.ts"];
const CWD = new URL("../../../", import.meta.url).pathname;

let etcd: EtcdServer;
beforeAll(async () => {
  etcd = await startEtcd();
});
afterAll(async () => {
  await etcd?.stop();
});

function spawnMain(args: string[]): ChildProcess {
  return spawn(process.execPath, [...MAIN, ...args], { cwd: CWD, stdio: ["ignore", "pipe", "pipe"] });
}


describe("the kube2sky process", () => {
  it("lists every flag with its environment variable in --help", async () => {
    const child = spawnMain(["--help"]);
    let out = "";
    child.stdout?.on("data", (chunk: Buffer) => (out += chunk.toString()));
    const code = await new Promise((resolve) => child.once("exit", resolve));
    expect(code).toBe(0);
    for (const flag of ["--domain", "--etcd-server", "--etcd-mutation-timeout", "--etcd-max-txn-ops", "--etcd-cafile", "--etcd-certfile", "--etcd-keyfile", "--kube-master-url", "--kubecfg-file", "--healthz-port", "--resync-period", "--pods", "--endpoints-api", "--leader-elect-ttl", "--log-level"]) {
      expect(out).toContain(flag);
      expect(out).toContain(`KUBE2SKY_${flag.slice(2).toUpperCase().replaceAll("-", "_")}`);
    }
  });

  it("refuses a bad flag value with a non-zero exit", async () => {
    const child = spawnMain(["--etcd-mutation-timeout=soon"]);
    child.stderr?.resume();
    expect(await new Promise((resolve) => child.once("exit", resolve))).not.toBe(0);
  });

  it("exits non-zero when its healthz port is taken", async () => {
    const taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, "127.0.0.1", resolve));
    const port = (taken.address() as AddressInfo).port;
    try {
      const child = spawnMain([`--healthz-port=${port}`, "--kube-master-url=http://127.0.0.1:1", `--etcd-server=${etcd.clientUrl}`]);
      child.stdout?.resume();
      expect(await new Promise((resolve) => child.once("exit", resolve))).toBe(1);
    } finally {
      taken.close();
    }
  });

  it("stays up and not ready while the API server is unreachable, serves metrics, and exits 0 on SIGTERM", async () => {
    // A port that refuses connections: bound, then closed.
    const closedPort = await freePort("127.0.0.1");
    const healthzPort = await freePort("127.0.0.1");
    const child = spawnMain([
      `--kube-master-url=http://127.0.0.1:${closedPort}`,
      `--etcd-server=${etcd.clientUrl}`,
      `--healthz-port=${healthzPort}`,
      "--log-level=info",
    ]);
    try {
      const restarting = logLine(child, /list\/watch failed/);
      await logLine(child, /serving \/readiness/);
      await restarting;
      const base = `http://127.0.0.1:${healthzPort}`;
      expect((await fetch(`${base}/readiness`)).status).toBe(503);
      expect((await fetch(`${base}/healthz`)).status).toBe(200);
      const metrics = await (await fetch(`${base}/metrics`)).text();
      expect(metrics).toMatch(/kubedns_kube2sky_watch_errors_total\{kind="service"\} [1-9]/);
      const exited = new Promise((resolve) => child.once("exit", (code) => resolve(code)));
      child.kill("SIGTERM");
      expect(await exited).toBe(0);
    } finally {
      await terminate(child);
    }
  });

  it("syncs from a kubeconfig, turns ready, and stops cleanly on SIGTERM", async () => {
    const api = await startDevApiServer({ etcdUrl: etcd.clientUrl, logLevel: "silent" });
    const dnsEtcd = await startEtcd();
    const healthzPort = await freePort("127.0.0.1");
    const child = spawnMain([`--kubecfg-file=${api.kubeconfigPath}`, `--etcd-server=${dnsEtcd.clientUrl}`, `--healthz-port=${healthzPort}`, "--log-level=info"]);
    try {
      await logLine(child, /first sync done; ready/);
      expect((await fetch(`http://127.0.0.1:${healthzPort}/readiness`)).status).toBe(200);
      expect(await etcdctlGet(dnsEtcd.clientUrl, "/skydns/local/cluster/svc/default/kubernetes/c88f1059")).toEqual({
        "/skydns/local/cluster/svc/default/kubernetes/c88f1059": A("10.0.0.1"),
      });
      const exited = new Promise((resolve) => child.once("exit", (code) => resolve(code)));
      child.kill("SIGTERM");
      expect(await exited).toBe(0);
    } finally {
      await terminate(child);
      await api.stop();
      await dnsEtcd.stop();
    }
  });
});
