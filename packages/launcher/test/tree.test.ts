import { execFileSync } from "node:child_process";
import { type EtcdServer, freePort, startEtcd } from "@kube-dns/etcd-process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readRecords } from "../src/records.js";
import { kubeDns } from "./program.js";

const SVC = "/skydns/local/cluster/svc/default/kubernetes";
let etcd: EtcdServer;

function etcdctlPut(key: string, value: string): void {
  execFileSync("etcdctl", ["--endpoints", etcd.clientUrl, "put", key, value], { env: { ...process.env, ETCDCTL_API: "3" }, timeout: 10_000 });
}

describe("kube-dns tree, against a real etcd", () => {
  beforeAll(async () => {
    etcd = await startEtcd();
    etcdctlPut(`${SVC}/c88f1059`, '{"host":"10.0.0.1","priority":10,"weight":10,"ttl":30,"targetstrip":0}');
    etcdctlPut(`${SVC}/_tcp/_https/c88f1059`, '{"host":"kubernetes.default.svc.cluster.local","port":443,"priority":10,"weight":10,"ttl":30,"targetstrip":0}');
    etcdctlPut("/skydns/local/cluster/svc/default/broken/0badc0de", "{not json");
    etcdctlPut("/skydnsother/not/ours", '{"host":"10.9.9.9"}');
  });
  afterAll(async () => {
    await etcd?.stop();
  });

  it("reads every key below the prefix and nothing beside it", async () => {
    const entries = await readRecords({ etcdServer: etcd.clientUrl, timeoutMs: 5000 }, "/skydns");
    expect(entries.map((entry) => entry.key).sort()).toEqual([`${SVC}/_tcp/_https/c88f1059`, `${SVC}/c88f1059`, "/skydns/local/cluster/svc/default/broken/0badc0de"].sort());
  });

  it("prints the records decoded, and a corrupt value with its error", async () => {
    const result = await kubeDns(["tree", "--etcd-server", etcd.clientUrl]);
    expect(result.stderr).toBe("");
    expect(result.status).toBe(0);
    const lines = result.stdout.split("\n");
    expect(lines[0]).toBe("/skydns/local/cluster/svc/default/broken");
    expect(lines[1]).toMatch(/^ {2}0badc0de {2}CORRUPT {2}value is not JSON: .+ {2}value "\{not json"$/);
    expect(lines.slice(2)).toEqual([
      SVC,
      "  c88f1059              A    10.0.0.1                                   ttl 30",
      "  _tcp/_https/c88f1059  SRV  kubernetes.default.svc.cluster.local.:443  ttl 30  priority 10 weight 10",
      "",
    ]);
  });

  it("fails with exit status 1 and a message when etcd does not answer", async () => {
    const port = await freePort();
    const result = await kubeDns(["tree", "--timeout", "1s"], { KUBE_DNS_ETCD_SERVER: `http://127.0.0.1:${port}` });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain(`kube-dns tree: could not read /skydns from http://127.0.0.1:${port}`);
  });
});

describe("kube-dns up", () => {
  // The pod itself comes up in e2e/ (walkthroughs and faults); here only what fails before anything starts.
  it("refuses a DNS address it cannot use, naming the flag, and starts nothing", async () => {
    const result = await kubeDns(["up", "--dns-addr", "127.0.0.1:99999", "--state-dir", "/nonexistent/never-created"]);
    expect(result.status).not.toBe(0);
    expect(result.stderr).toMatch(/--dns-addr/);
    expect(result.stderr).toMatch(/invalid address/);
  });
});
