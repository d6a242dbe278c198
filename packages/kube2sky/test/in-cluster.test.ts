import { type ChildProcess, spawn } from "node:child_process";
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { request as httpRequest } from "node:http";
import { createServer as createHttpsServer, type Server } from "node:https";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type DevApiServer, startDevApiServer } from "@kube-dns/dev-apiserver";
import { type EtcdServer, freePort, startEtcd, terminate } from "@kube-dns/etcd-process";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { makeCertificates } from "./certs.js";
import { A, etcdctlGet } from "./etcdctl.js";
import { logLine } from "./process-log.js";

// kube2sky with neither --kube-master-url nor --kubecfg-file, as in the manifest: it must find the API server through
// KUBERNETES_SERVICE_HOST/PORT and authenticate with the service account mounted at /var/run/secrets, over HTTPS
// verified with the mounted CA. The mount is real: a private mount namespace (unshare -m) with a tmpfs over /run,
// which the host never sees. The API server is the dev-apiserver requiring a bearer token, behind an HTTPS front.

const TOKEN = "kube2sky-service-account-token";
const MAIN = ["--conditions=source", "--import", "tsx", "packages/kube2sky/src/main.ts"];
const CWD = new URL("../../../", import.meta.url).pathname;
// Inside the new mount namespace: mount the service account where a kubelet would, then become kube2sky.
const MOUNT_SERVICE_ACCOUNT =
  'mount -t tmpfs -o size=1m serviceaccount /run && mkdir -p /run/secrets/kubernetes.io/serviceaccount && cp "$0"/* /run/secrets/kubernetes.io/serviceaccount/ && exec "$@"';

const dir = mkdtempSync(join(tmpdir(), "kube2sky-in-cluster-"));
let apiEtcd: EtcdServer;
let dnsEtcd: EtcdServer;
let api: DevApiServer;
let front: Server;
let frontPort = 0;
const authorizations: string[] = [];
const children: ChildProcess[] = [];

/** serviceAccount writes a service-account directory (token, ca.crt, namespace) trusting caFile, and returns it. */
function serviceAccount(name: string, caFile: string): string {
  const path = join(dir, name);
  mkdirSync(path);
  writeFileSync(join(path, "token"), TOKEN);
  writeFileSync(join(path, "namespace"), "kube-system");
  copyFileSync(caFile, join(path, "ca.crt"));
  return path;
}

function spawnInCluster(serviceAccountDir: string, healthzPort: number): ChildProcess {
  const child = spawn(
    "unshare",
    ["-m", "sh", "-c", MOUNT_SERVICE_ACCOUNT, serviceAccountDir, process.execPath, ...MAIN, `--etcd-server=${dnsEtcd.clientUrl}`, `--healthz-port=${healthzPort}`, "--log-level=info"],
    { cwd: CWD, stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, KUBERNETES_SERVICE_HOST: "127.0.0.1", KUBERNETES_SERVICE_PORT: String(frontPort) } },
  );
  children.push(child);
  return child;
}


beforeAll(async () => {
  await makeCertificates(dir, ["server"], "in-cluster-ca");
  [apiEtcd, dnsEtcd] = await Promise.all([startEtcd(), startEtcd()]);
  api = await startDevApiServer({ etcdUrl: apiEtcd.clientUrl, logLevel: "silent", token: TOKEN });
  // The HTTPS front: TLS with the server certificate, then every request (watches streamed) to the dev-apiserver.
  front = createHttpsServer({ key: readFileSync(join(dir, "server.key")), cert: readFileSync(join(dir, "server.crt")) }, (req, res) => {
    authorizations.push(req.headers.authorization ?? "");
    const upstream = httpRequest(`${api.url}${req.url ?? "/"}`, { method: req.method, headers: req.headers }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    upstream.on("error", () => res.destroy());
    res.on("close", () => upstream.destroy());
    req.pipe(upstream);
  });
  await new Promise<void>((resolve) => front.listen(0, "127.0.0.1", resolve));
  frontPort = (front.address() as AddressInfo).port;
}, 60_000);

afterEach(async () => {
  await Promise.all(children.splice(0).map((child) => terminate(child)));
});

afterAll(async () => {
  front?.closeAllConnections();
  await new Promise((resolve) => front?.close(resolve));
  await api?.stop();
  await Promise.all([apiEtcd?.stop(), dnsEtcd?.stop()]);
  rmSync(dir, { recursive: true, force: true });
});

describe("kube2sky in a cluster (the service account, no flags)", () => {
  it("reaches the API over HTTPS verified with the mounted CA, sends the mounted token, and syncs", async () => {
    const child = spawnInCluster(serviceAccount("trusted", join(dir, "ca.crt")), await freePort("127.0.0.1"));
    await logLine(child, /first sync done; ready/);
    expect(await etcdctlGet(dnsEtcd.clientUrl, "/skydns/local/cluster/svc/default/kubernetes/c88f1059")).toEqual({
      "/skydns/local/cluster/svc/default/kubernetes/c88f1059": A("10.0.0.1"),
    });
    expect(authorizations.length).toBeGreaterThan(0);
    expect(new Set(authorizations)).toEqual(new Set([`Bearer ${TOKEN}`]));
    const exited = new Promise((resolve) => child.once("exit", (code) => resolve(code)));
    child.kill("SIGTERM");
    expect(await exited).toBe(0);
  });

  it("refuses an API server whose certificate the mounted CA did not sign, and stays unready", async () => {
    const otherCa = join(dir, "other");
    mkdirSync(otherCa);
    await makeCertificates(otherCa, [], "some-other-ca");
    const healthzPort = await freePort("127.0.0.1");
    const before = authorizations.length;
    const child = spawnInCluster(serviceAccount("untrusted", join(otherCa, "ca.crt")), healthzPort);
    const failure = await logLine(child, /list\/watch failed/);
    expect(JSON.stringify(failure["err"])).toMatch(/certificate/i);
    expect((await fetch(`http://127.0.0.1:${healthzPort}/readiness`)).status).toBe(503);
    // The TLS handshake failed, so no request (and no token) ever reached the API server.
    expect(authorizations.length).toBe(before);
  });
});
