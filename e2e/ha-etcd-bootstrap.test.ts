import { type ChildProcess, execFile, spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { randomInt } from "node:crypto";
import { etcdBinary, freePort } from "@kube-dns/etcd-process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseAllDocuments } from "yaml";
import { type Expected, sweep } from "./harness/dns-sweep.js";
import { REPO_ROOT } from "./harness/launcher-process.js";
import { eventually } from "./harness/poll.js";
import { requireRoot } from "./harness/require-root.js";

// The bootstrap of manifests/kube-dns-ha.yaml, run: its StatefulSet's own etcd command for each of the three members,
// started together, each in a mount namespace of its own whose /etc/hosts is what the pod's hostAliases write. Three
// loopback addresses stand for the members' cluster IPs (no kube-proxy here); nothing resolves through DNS. Then a
// skydns with the manifest's --machines and TLS flags, in a pod's /etc/hosts too, reads its records from them.
const run = promisify(execFile);
const TLS_DIR = "/etc/kube-dns/etcd-tls";

interface Container { command?: string[]; args?: string[] }
interface PodSpec { hostAliases: Array<{ ip: string; hostnames: string[] }>; containers: Array<Container & { name: string }> }
const ha = parseAllDocuments(readFileSync(join(REPO_ROOT, "manifests", "kube-dns-ha.yaml"), "utf8")).map((d) => d.toJS() as { kind: string; metadata: { name: string }; spec: { replicas?: number; template: { spec: PodSpec } } });
const etcdSet = ha.find((o) => o.kind === "StatefulSet")!;
const skydnsPod = ha.find((o) => o.kind === "Deployment" && o.metadata.name === "kube-dns")!.spec.template.spec;
const names = Array.from({ length: etcdSet.spec.replicas ?? 0 }, (_, i) => `${etcdSet.metadata.name}-${i}`);

describe("kube-dns-ha.yaml's etcd bootstrap, without DNS", () => {
  const dir = mkdtempSync(join(tmpdir(), "kube-dns-ha-bootstrap-"));
  const prefix = `127.${randomInt(1, 255)}.${randomInt(0, 256)}`;
  // Each member's cluster IP (hostAliases) stands for a loopback address of its own.
  const standIn = new Map(etcdSet.spec.template.spec.hostAliases.map((alias, i) => [alias.ip, `${prefix}.${i + 1}`]));
  const hostsFile = join(dir, "hosts");
  const members = new Map<string, ChildProcess>();
  let output = "";

  beforeAll(async () => {
    requireRoot();
    mkdirSync(join(dir, "tls"));
    await makeCertificates(join(dir, "tls"));
    writeFileSync(hostsFile, ["127.0.0.1 localhost", ...skydnsPod.hostAliases.map((a) => `${standIn.get(a.ip)} ${a.hostnames.join(" ")}`), ""].join("\n"));
    for (const name of names) startMember(name);
    await Promise.all(names.map((name) => healthy(name)));
  }, 60_000);

  afterAll(async () => {
    await Promise.all([...members.values()].map((child) => stop(child)));
    rmSync(dir, { recursive: true, force: true });
  });

  // The StatefulSet's command for one member, rewritten only where a pod and this machine differ.
  function startMember(name: string): void {
    const ip = standIn.get(etcdSet.spec.template.spec.hostAliases.find((a) => a.hostnames.includes(name))!.ip)!;
    const [, ...args] = etcdSet.spec.template.spec.containers[0]!.command!;
    const rewritten = args.map((arg) =>
      arg.replaceAll("$(POD_NAME)", name).replaceAll("0.0.0.0", ip).replaceAll(TLS_DIR, join(dir, "tls")).replace("/var/etcd/data", join(dir, name)),
    );
    members.set(name, inPod(etcdBinary(), rewritten));
  }

  async function healthy(name: string): Promise<void> {
    const ip = standIn.get(etcdSet.spec.template.spec.hostAliases.find((a) => a.hostnames.includes(name))!.ip)!;
    await eventually(async () => {
      const body = (await (await fetch(`http://${ip}:2381/health`, { signal: AbortSignal.timeout(1000) })).json()) as { health?: string };
      return body.health === "true" ? true : undefined;
    }, { what: `${name} healthy`, timeoutMs: 30_000, intervalMs: 200 }).catch((error: unknown) => {
      throw new Error(`${String(error)}\n${output.split("\n").slice(-15).join("\n")}`);
    });
  }

  function inPod(command: string, args: readonly string[]): ChildProcess {
    const script = 'mount --bind "$0" /etc/hosts && exec "$@"';
    const child = spawn("unshare", ["-m", "--propagation", "private", "--", "sh", "-c", script, hostsFile, command, ...args], { stdio: ["ignore", "ignore", "pipe"] });
    child.stderr?.on("data", (chunk: Buffer) => (output += chunk.toString()));
    return child;
  }

  async function etcdctl(...args: string[]): Promise<string> {
    const endpoints = names.map((name) => `https://${name}:2379`).join(",");
    const tls = ["--cacert", join(dir, "tls", "ca.crt"), "--cert", join(dir, "tls", "client.crt"), "--key", join(dir, "tls", "client.key")];
    const script = 'mount --bind "$0" /etc/hosts && exec "$@"';
    const { stdout, stderr } = await run("unshare", ["-m", "--propagation", "private", "--", "sh", "-c", script, hostsFile, "etcdctl", "--endpoints", endpoints, ...tls, "--command-timeout=5s", ...args]);
    return stdout + stderr; // etcdctl writes `endpoint health` to stderr
  }

  it("forms one cluster from the members' names alone, over TLS with client certificates", async () => {
    const list = await etcdctl("member", "list");
    expect(list.trim().split("\n").map((line) => line.split(", ").slice(2, 4).join(" ")).sort()).toEqual(names.map((n) => `${n} https://${n}:2380`));
    expect((await etcdctl("endpoint", "health")).match(/is healthy/g)).toHaveLength(names.length);
  });

  it("serves skydns with the manifest's --machines and TLS flags, and takes a member SIGKILLed back", async () => {
    await etcdctl("put", "/skydns/local/cluster/svc/default/web/1", '{"host":"10.0.0.99","priority":10,"weight":10,"ttl":30,"targetstrip":0}');
    const [port, metrics] = [await freePort(), await freePort()];
    const args = (skydnsPod.containers.find((c) => c.name === "skydns")!.args ?? [])
      .map((arg) => arg.replaceAll(TLS_DIR, join(dir, "tls")))
      .map((arg) => (arg.startsWith("--addr=") ? `--addr=127.0.0.1:${port}` : arg.startsWith("--metrics-addr=") ? `--metrics-addr=127.0.0.1:${metrics}` : arg));
    const skydns = inPod(process.execPath, ["--conditions=source", "--import", "tsx", join(REPO_ROOT, "packages", "skydns", "src", "main.ts"), ...args, "--no-rec"]);
    try {
      await eventually(async () => ((await fetch(`http://127.0.0.1:${metrics}/ready`)).status === 200 ? true : undefined), { what: "skydns ready", timeoutMs: 30_000, intervalMs: 200 });
      expect((await sweep("127.0.0.1", port, [a("web", "10.0.0.99")])).mismatches).toEqual([]);
      const victim = names[0]!;
      await stop(members.get(victim)!, "SIGKILL");
      startMember(victim); // as the StatefulSet's kubelet restarts it: same name, same data
      await healthy(victim);
      await etcdctl("put", "/skydns/local/cluster/svc/default/later/1", '{"host":"10.0.0.98","priority":10,"weight":10,"ttl":30,"targetstrip":0}');
      await eventually(async () => ((await sweep("127.0.0.1", port, [a("later", "10.0.0.98")])).mismatches.length === 0 ? true : undefined), { what: "skydns answering a later record", timeoutMs: 20_000 });
    } finally {
      await stop(skydns);
    }
  }, 60_000);

  // One CA; a certificate for the members (serving, and as peers) named as the manifest names them; one for clients.
  async function makeCertificates(tls: string): Promise<void> {
    const openssl = (...args: string[]) => run("openssl", args, { cwd: tls });
    await openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "ca.key", "-out", "ca.crt", "-days", "1", "-subj", "/CN=kube-dns-etcd-ca");
    const sans = names.map((n) => `DNS:${n}`).join(",");
    // Common names as manifests/README.md makes them: --peer-cert-allowed-cn asks for the members' own.
    const certificates = [["server", "kube-dns-etcd", `subjectAltName=${sans}\nextendedKeyUsage=serverAuth,clientAuth\n`], ["client", "kube-dns", "extendedKeyUsage=clientAuth\n"]] as const;
    for (const [name, commonName, extensions] of certificates) {
      writeFileSync(join(tls, `${name}.ext`), extensions);
      await openssl("req", "-newkey", "rsa:2048", "-nodes", "-keyout", `${name}.key`, "-out", `${name}.csr`, "-subj", `/CN=${commonName}`);
      await openssl("x509", "-req", "-in", `${name}.csr`, "-CA", "ca.crt", "-CAkey", "ca.key", "-CAcreateserial", "-out", `${name}.crt`, "-days", "1", "-extfile", `${name}.ext`);
    }
  }
});

function a(service: string, ip: string): Expected {
  return { name: `${service}.default.svc.cluster.local`, type: "A", rcode: "NOERROR", data: [ip] };
}

function stop(child: ChildProcess, signal: NodeJS.Signals = "SIGTERM"): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const killer = setTimeout(() => child.kill("SIGKILL"), 5000);
    child.once("exit", () => {
      clearTimeout(killer);
      resolve();
    });
    child.kill(signal);
  });
}
