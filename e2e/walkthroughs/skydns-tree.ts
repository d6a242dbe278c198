import { describe, expect, it } from "vitest";
import type { PodUnderTest } from "../harness/pod-under-test.js";
import { walkthrough } from "../harness/walkthrough.js";

const DIR = "/skydns/local/cluster/svc/kube-system/kube-dns";

/**
 * Seed 001: the records live in the pod's etcd under /skydns, the name's labels reversed into a path
 * (kube-dns.kube-system.svc.cluster.local -> /skydns/local/cluster/svc/kube-system/kube-dns/), one key per record
 * named by a hash, and `etcdctl get` on it shows the v1.2 JSON. Read with the real etcdctl (v3 API).
 */
export function skydnsTree(pod: () => PodUnderTest): void {
  describe("the /skydns tree in etcd", () => {
    it("holds kube-dns.kube-system at /skydns/local/cluster/svc/kube-system/kube-dns/<id> as {\"host\":\"10.0.0.10\",...}", async () => {
      const transcript = walkthrough("skydns-tree");
      // etcd v3 has no directories: `etcdctl ls DIR` of the seed is `get --prefix --keys-only DIR/`.
      const keys = await pod().etcdctl(["get", "--prefix", "--keys-only", `${DIR}/`], transcript);
      expect(keys.code).toBe(0);
      const listed = keys.stdout.split("\n").filter((line) => line !== "");
      const own = listed.filter((key) => /^\/skydns\/local\/cluster\/svc\/kube-system\/kube-dns\/[0-9a-f]{8}$/.test(key));
      expect(own).toHaveLength(1);
      const key = own[0] ?? "";
      // The SRV records of its named ports sit below it, under _udp/_dns and _tcp/_dns-tcp, with the same id.
      const id = key.slice(DIR.length + 1);
      expect(listed.sort()).toEqual([key, `${DIR}/_tcp/_dns-tcp/${id}`, `${DIR}/_udp/_dns/${id}`].sort());
      // v1.2 names a record by the FNV-1a hash of its JSON, so the id is the very one the seed shows.
      expect(id).toBe("21172049");

      const value = await pod().etcdctl(["get", "--print-value-only", key], transcript);
      expect(value.stdout.trim()).toBe('{"host":"10.0.0.10","priority":10,"weight":10,"ttl":30,"targetstrip":0}');

      const tree = await pod().kubeDnsTree(transcript);
      expect(tree.code).toBe(0);
      const lines = tree.stdout.split("\n");
      const at = lines.findIndex((line) => line.trim() === `${DIR}:` || line.trim() === DIR || line.trim().startsWith(`${DIR} `));
      expect(at, tree.stdout).toBeGreaterThanOrEqual(0);
      expect(lines.slice(at + 1, at + 4).join("\n")).toMatch(new RegExp(`${id}\\s+A\\s+10\\.0\\.0\\.10`));
    });
  });
}
