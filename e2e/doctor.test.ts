import { freePort } from "@kube-dns/etcd-process";
import { afterAll, describe, expect, it } from "vitest";
import { shortAnswers } from "./harness/answers.js";
import { eventually } from "./harness/poll.js";
import { ProgramProcess } from "./harness/program-process.js";
import { TcpRelay } from "./harness/tcp-relay.js";
import { usePod } from "./harness/use-pod.js";

const NAME = "doctor-web.default.svc.cluster.local";
const DIR = "/skydns/local/cluster/svc/default/doctor-web";
// A read once the first look found something: long enough to be a re-check, short enough for the suite.
const SETTLE = "--settle=300ms";
// Each run of the command starts node on the TypeScript sources: seconds each on two busy cores.
const TEST_TIMEOUT_MS = 180_000;

// `kube-dns doctor` as a person runs it, on one pod: clean first, then each drift injected by hand with etcdctl (or a
// stalled skydns replica), named by the doctor with exit 1, and undone before the next.
describe("kube-dns doctor on a running pod", () => {
  const pod = usePod({ queryLog: false });

  // The service's records as etcd holds them: key -> value.
  async function records(): Promise<Map<string, string>> {
    const got = await pod().etcdctl(["get", "--prefix", `${DIR}/`]);
    const lines = got.stdout.split("\n").filter((line) => line !== "");
    return new Map(Array.from({ length: lines.length / 2 }, (_, i) => [lines[2 * i]!, lines[2 * i + 1]!] as const));
  }

  it("finds no differences on a pod left alone, and exits 0", { timeout: TEST_TIMEOUT_MS }, async () => {
    expect((await pod().kubectl(["create", "service", "clusterip", "doctor-web", "--tcp=80:8080"])).code).toBe(0);
    await eventually(async () => (shortAnswers((await pod().dig(["+short", NAME])).stdout).length === 1 ? true : undefined), { what: `${NAME} answered` });
    const report = await pod().kubeDnsDoctor();
    expect(report.stdout, report.stderr).toMatch(/^no differences \(/m);
    expect(report.code).toBe(0);
  });

  // Three drifts at once, each put in by hand with etcdctl and each undone after: a stale record (a service that does
  // not exist), a missing one and a corrupt one. kube2sky does not watch /skydns: it rereads etcd only at a full sync
  // (its start, a relist, --resync-period, 30m by default), so a key deleted or broken behind its back stays so for the
  // test's few seconds, as it would in a cluster.
  it("names a stale, a missing and a corrupt record with their API objects and keys, also in --json, and exits 1", { timeout: TEST_TIMEOUT_MS }, async () => {
    const held = await records();
    const [srvKey, srvValue] = [...held].find(([k]) => k.startsWith(`${DIR}/_tcp/`)) ?? [];
    const [aKey, aValue] = [...held].find(([k]) => /\/[0-9a-f]{8}$/.test(k) && !k.includes("/_")) ?? [];
    expect([srvKey, aKey], "the service's SRV and A keys").not.toContain(undefined);
    const ghost = "/skydns/local/cluster/svc/default/doctor-ghost/1a2b3c4d";
    await pod().etcdctl(["put", ghost, '{"host":"10.0.0.250","priority":10,"weight":10,"ttl":30,"targetstrip":0}']);
    await pod().etcdctl(["del", srvKey!]);
    await pod().etcdctl(["put", aKey!, '{"host": 10']);
    try {
      const report = await pod().kubeDnsDoctor([SETTLE]);
      expect(report.stdout).toMatch(new RegExp(`^stale +Service default/doctor-ghost  ${ghost}  no API object implies`, "m"));
      expect(report.stdout).toMatch(new RegExp(`^missing +Service default/doctor-web  ${srvKey}  etcd lacks`, "m"));
      expect(report.stdout).toMatch(new RegExp(`^corrupt +Service default/doctor-web  ${aKey}  value is not JSON`, "m"));
      expect(report.stdout).toMatch(/^3 differences: 1 missing, 1 stale, 0 wrong, 1 corrupt, 0 dns-differs \(/m);
      expect(report.code).toBe(1);
      const json = await pod().kubeDnsDoctor([SETTLE, "--json"]);
      const parsed = JSON.parse(json.stdout) as { counts: Record<string, number>; differences: Array<{ kind: string; key: string; object: string }> };
      expect(parsed.counts).toEqual({ missing: 1, stale: 1, wrong: 0, corrupt: 1, "dns-differs": 0 });
      expect(parsed.differences.map((d) => [d.kind, d.object, d.key])).toEqual([
        ["missing", "Service default/doctor-web", srvKey],
        ["stale", "Service default/doctor-ghost", ghost],
        ["corrupt", "Service default/doctor-web", aKey],
      ]);
      expect(json.code).toBe(1);
    } finally {
      await pod().etcdctl(["del", ghost]);
      await pod().etcdctl(["put", srvKey!, srvValue!]);
      await pod().etcdctl(["put", aKey!, aValue!]);
    }
  });

  // A skydns replica whose connection to etcd went silent (a relay that holds every byte) keeps answering from its
  // index, as it must, and so misses what kube2sky writes meanwhile: the doctor, asking that replica, sees etcd and
  // the API agree and skydns answer otherwise. (SIGSTOP would not do: a stopped skydns answers nothing at all.)
  describe("a skydns replica that has not picked up a record", () => {
    let relay: TcpRelay | undefined;
    let replica: ProgramProcess | undefined;
    afterAll(async () => {
      await replica?.stop();
      await relay?.stop();
    });

    it("names each record etcd holds that skydns does not answer, and exits 1", { timeout: TEST_TIMEOUT_MS }, async () => {
      relay = await TcpRelay.start({ host: "127.0.0.1", port: Number(new URL(pod().etcdUrl).port) });
      const [dnsPort, metricsPort] = [await freePort("127.0.0.1"), await freePort("127.0.0.1")];
      replica = new ProgramProcess("skydns-replica", "skydns", [
        `--addr=127.0.0.1:${dnsPort}`, `--machines=http://127.0.0.1:${relay.port}`, `--metrics-addr=127.0.0.1:${metricsPort}`, "--no-rec", "--log-level=warn",
      ], `http://127.0.0.1:${metricsPort}/ready`);
      replica.start();
      await replica.waitReady();
      const dnsAddr = `127.0.0.1:${dnsPort}`;

      relay.pause();
      expect((await pod().kubectl(["create", "service", "clusterip", "doctor-late", "--tcp=443:8443"])).code).toBe(0);
      await eventually(async () => ((await pod().etcdctl(["get", "--prefix", "--keys-only", "/skydns/local/cluster/svc/default/doctor-late/"])).stdout.trim() !== "" ? true : undefined), { what: "doctor-late's records in etcd" });
      const report = await pod().kubeDnsDoctor([SETTLE], { dnsAddr });
      const lines = report.stdout.split("\n").filter((line) => line !== "");
      // Its A, SRV and PTR: etcd holds each, the replica answers none.
      expect(lines.filter((line) => line.startsWith("dns-differs Service default/doctor-late  ")).length, report.stdout).toBe(3);
      expect(report.stdout).toMatch(/^dns-differs Service default\/doctor-late {2}\/skydns\/local\/cluster\/svc\/default\/doctor-late\/[0-9a-f]{8} {2}A doctor-late\.default\.svc\.cluster\.local\.: skydns does not answer 10\.[\d.]+ \(NXDOMAIN\)$/m);
      expect(report.stdout).toMatch(/^3 differences: 0 missing, 0 stale, 0 wrong, 0 corrupt, 3 dns-differs/m);
      expect(report.code).toBe(1);
      // The pod's own skydns, whose watch runs, has it: the difference is the stalled replica's alone.
      const own = await pod().kubeDnsDoctor([SETTLE]);
      expect(own.stdout, own.stderr).toMatch(/^no differences \(/m);
      expect(own.code).toBe(0);

      relay.resume();
      await pod().kubectl(["delete", "service", "doctor-late"]);
    });
  });

  it("says in one line which view it cannot read, and exits 2", { timeout: TEST_TIMEOUT_MS }, async () => {
    const closed = await freePort("127.0.0.1");
    const report = await pod().kubeDnsDoctor(["--timeout=1s", `--etcd-server=http://127.0.0.1:${closed}`]);
    expect(report.stderr.trim().split("\n")).toHaveLength(1);
    expect(report.stderr).toMatch(new RegExp(`^kube-dns doctor: cannot read /skydns from http://127.0.0.1:${closed}: `));
    expect(report.code).toBe(2);
  });
});
