import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type EtcdCertificates, type EtcdServer, makeEtcdCertificates, startEtcd } from "@kube-dns/etcd-process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { kubeDns } from "./program.js";

const KEY = "/skydns/local/cluster/svc/default/kubernetes/c88f1059";
const dir = mkdtempSync(join(tmpdir(), "kube-dns-tree-tls-"));
let certs: EtcdCertificates;
let stranger: EtcdCertificates;
let etcd: EtcdServer;

beforeAll(async () => {
  certs = await makeEtcdCertificates(dir);
  // A second CA, and a client certificate it signed: well formed, but not one this etcd trusts.
  mkdirSync(join(dir, "other"));
  stranger = await makeEtcdCertificates(join(dir, "other"));
  etcd = await startEtcd({ tls: { certFile: certs.serverCertFile, keyFile: certs.serverKeyFile, caFile: certs.caFile, clientCertAuth: true } });
  execFileSync("etcdctl", ["--endpoints", etcd.clientUrl, "--cacert", certs.caFile, "--cert", certs.clientCertFile, "--key", certs.clientKeyFile, "put", KEY, '{"host":"10.0.0.1","ttl":30}'], {
    env: { ...process.env, ETCDCTL_API: "3" },
    timeout: 10_000,
  });
}, 60_000);

afterAll(async () => {
  await etcd?.stop();
  rmSync(dir, { recursive: true, force: true });
});

// Node's own DEP0123 warning (gRPC sets an IP as the TLS server name; README, Bugs) is not ours to judge here.
function ownLines(stderr: string): string[] {
  return stderr.split("\n").filter((line) => line !== "" && !line.startsWith("(node:") && !line.startsWith("(Use `node"));
}

describe("kube-dns tree against an etcd that requires client certificates", () => {
  it("reads the records with --etcd-cafile, --etcd-certfile and --etcd-keyfile", async () => {
    const result = await kubeDns(["tree", "--etcd-server", etcd.clientUrl, "--etcd-cafile", certs.caFile, "--etcd-certfile", certs.clientCertFile, "--etcd-keyfile", certs.clientKeyFile]);
    expect(ownLines(result.stderr)).toEqual([]);
    expect(result.status).toBe(0);
    expect(result.stdout).toContain("c88f1059  A  10.0.0.1  ttl 30");
  });

  it("takes the same files from KUBE_DNS_ETCD_CAFILE, _CERTFILE and _KEYFILE", async () => {
    const result = await kubeDns(["tree"], {
      KUBE_DNS_ETCD_SERVER: etcd.clientUrl, KUBE_DNS_ETCD_CAFILE: certs.caFile, KUBE_DNS_ETCD_CERTFILE: certs.clientCertFile, KUBE_DNS_ETCD_KEYFILE: certs.clientKeyFile,
    });
    expect(result.status).toBe(0);
    expect(result.stdout).toContain("10.0.0.1");
  });

  it.each([
    ["no client certificate", () => ["--etcd-cafile", certs.caFile], "etcd refused our client certificate"],
    ["a client certificate signed by another CA", () => ["--etcd-cafile", certs.caFile, "--etcd-certfile", stranger.clientCertFile, "--etcd-keyfile", stranger.clientKeyFile], "etcd refused our client certificate"],
    ["the wrong CA for etcd's certificate", () => ["--etcd-cafile", stranger.caFile, "--etcd-certfile", certs.clientCertFile, "--etcd-keyfile", certs.clientKeyFile], "etcd's certificate is not signed by the CA file given"],
  ])("is refused with %s, in one clear line and exit status 1", async (_what, flags, explanation) => {
    const result = await kubeDns(["tree", "--etcd-server", etcd.clientUrl, "--timeout", "3s", ...flags()]);
    expect(result.status).toBe(1);
    expect(result.stdout).toBe("");
    const ours = ownLines(result.stderr);
    expect(ours).toHaveLength(1);
    expect(ours[0]).toContain(`kube-dns tree: could not read /skydns from ${etcd.clientUrl}: ${explanation}`);
  });

  it("names a certificate file it cannot read", async () => {
    const result = await kubeDns(["tree", "--etcd-server", etcd.clientUrl, "--etcd-cafile", join(dir, "missing.crt")]);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain(`cannot read the etcd CA file ${join(dir, "missing.crt")}`);
  });
});
