import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { digSection, getentHosts, nslookupAnswers, shortAnswers } from "./harness/answers.js";
import { answersOf, mismatches } from "./harness/containers/dig-batch.js";
import { imageFiles } from "./harness/containers/image-files.js";
import { buildImages } from "./harness/containers/images.js";
import { manifestContainers } from "./harness/containers/manifest-pod.js";
import { PlayedPod } from "./harness/containers/played-pod.js";
import { requirePodman } from "./harness/containers/podman.js";
import { ProbeWatch } from "./harness/containers/probe-watch.js";
import { processSecurity, rootMountOptions } from "./harness/containers/proc-status.js";
import { CLAIMED_SCALE, expectedAnswers, type ScaleService } from "./harness/containers/scale-cluster.js";
import { type SizingRow, sizingTable } from "./harness/containers/sizing-table.js";
import { UsageSampler } from "./harness/containers/usage.js";
import { example } from "./harness/examples.js";
import { eventually } from "./harness/poll.js";
import { walkthrough } from "./harness/walkthrough.js";

// The shipped pod in a real container engine: the three images built from docker/ (cached by their inputs), then
// manifests/kube-dns.yaml played by podman with e2e/containers/overlay.yaml, and the checks below against the running
// containers, in order, on that one pod. See e2e/README.md, "The container suite".

const CONTAINERS = ["etcd", "kube2sky", "skydns", "healthz"];
// The query load the sizing runs skydns at, through the kube-dns Service, for QUERY_SECONDS.
const QUERIES_PER_SECOND = 1000;
const QUERY_SECONDS = 20;
const MY_NGINX = "my-nginx.default.svc.cluster.local";
const KUBE_DNS_DIR = "/skydns/local/cluster/svc/kube-system/kube-dns";

let pod: PlayedPod | undefined;
function played(): PlayedPod {
  if (pod === undefined) throw new Error("the pod was not played (see beforeAll's error)");
  return pod;
}

beforeAll(async () => {
  await requirePodman();
  console.log(await buildImages(900_000));
  pod = await PlayedPod.play();
}, 1_200_000);

afterAll(async () => {
  await pod?.stop();
}, 120_000);

describe("manifests/kube-dns.yaml in podman", () => {
  it.each(CONTAINERS)("runs %s as uid 1000 with no capability, no new privileges, seccomp and a read-only root", async (name) => {
    const container = await played().container(name);
    expect(container.status).toBe("running");
    const security = processSecurity(readFileSync(`/proc/${container.pid}/status`, "utf8"));
    expect(security.uids).toEqual([1000, 1000, 1000, 1000]);
    expect(security.gids).toEqual([1000, 1000, 1000, 1000]);
    expect(security.capabilities).toEqual({ inheritable: 0n, permitted: 0n, effective: 0n, bounding: 0n, ambient: 0n });
    expect(security.noNewPrivs).toBe(true);
    expect(security.seccompMode).toBe(2);
    expect(rootMountOptions(readFileSync(`/proc/${container.pid}/mountinfo`, "utf8"))).toContain("ro");
  });

  it("refuses a write to the root filesystem, even from a shell in the container", async () => {
    const { id } = await played().container("healthz");
    const write = await played().podman(["exec", id, "sh", "-c", "echo x >/probe"]).then(
      () => "written",
      (error: unknown) => String(error),
    );
    expect(write).toMatch(/Read-only file system/);
  });

  it("ships images with Node.js and the built program only: no shell, package manager or sources", async () => {
    const images = manifestContainers().images.filter((image) => image.startsWith("kube-dns/"));
    expect(images).toHaveLength(3);
    for (const image of images) {
      const files = await imageFiles(image);
      expect(files, image).toContain("/usr/local/bin/node");
      expect(files, image).toContain("/app/dist/main.js");
      const forbidden = files.filter((f) => /^\/(usr\/(local\/)?)?s?bin\/(apt|apt-get|dpkg|npm|npx|pnpm|yarn|corepack|bash|dash|perl|gcc|make)$/.test(f) || f.startsWith("/app/src/") || /\.(ts|mts|cts|map)$/.test(f));
      expect(forbidden, image).toEqual([]);
      // exec-healthz runs its command under busybox's sh and nslookup; the other two have no shell at all.
      const shells = files.filter((f) => /^\/(usr\/)?bin\//.test(f));
      expect(shells.sort(), image).toEqual(image.includes("exec-healthz") ? ["/bin/busybox", "/bin/nslookup", "/bin/sh"] : []);
    }
  });

  it("answers the my-nginx walkthrough from a pod's resolver, through the kube-dns Service on port 53", async () => {
    const transcript = walkthrough("containers-my-nginx");
    transcript.note(`the kube-dns Service ${played().clusterDnsIp}:53 goes to the played pod ${played().podIp} (its targetPorts)`);
    expect((await played().kubectl(["create", "-f", example("nginx-deployment.yaml")], transcript)).stdout).toContain("deployment.apps/my-nginx created");
    const rolledOut = await played().kubectl(["rollout", "status", "deployment/my-nginx", "--timeout=60s"], transcript);
    expect(rolledOut.stdout).toContain('deployment "my-nginx" successfully rolled out');
    expect((await played().kubectl(["create", "-f", example("nginx-service.yaml")], transcript)).stdout).toContain("service/my-nginx created");
    const clusterIP = (await played().kubectl(["get", "service", "my-nginx", "-o", "jsonpath={.spec.clusterIP}"], transcript)).stdout.trim();
    expect(clusterIP).toMatch(/^10\.0\.\d+\.\d+$/);

    const curl = played().shell("curl", "default", transcript);
    try {
      // kube2sky writes the record a moment after the Service exists.
      await eventually(async () => (shortAnswers((await curl.run("dig", ["+short", MY_NGINX])).stdout).join() === clusterIP ? true : undefined), {
        what: `${MY_NGINX} -> ${clusterIP}`,
        timeoutMs: 30_000,
        intervalMs: 500,
      });
      expect(getentHosts((await curl.run("getent", ["hosts", "my-nginx"])).stdout)).toEqual([{ address: clusterIP, names: [MY_NGINX] }]);
      for (const name of ["my-nginx", "my-nginx.default", MY_NGINX]) {
        const nslookup = await curl.run("nslookup", [name]);
        expect(nslookup.code).toBe(0);
        expect(nslookupAnswers(nslookup.stdout)).toEqual([{ name: MY_NGINX, address: clusterIP }]);
      }
      const srv = await curl.run("dig", ["SRV", `_http._tcp.${MY_NGINX}`]);
      expect(digSection(srv.stdout, "ANSWER")).toEqual([{ name: `_http._tcp.${MY_NGINX}.`, ttl: 30, type: "SRV", data: `10 10 80 ${MY_NGINX}.` }]);
      expect(digSection(srv.stdout, "ADDITIONAL")).toEqual([{ name: `${MY_NGINX}.`, ttl: 30, type: "A", data: clusterIP }]);
      expect(shortAnswers((await curl.run("dig", ["+short", "+tcp", MY_NGINX])).stdout)).toEqual([clusterIP]);
    } finally {
      curl.dispose();
    }
  }, 120_000);

  it("lists kube-dns.kube-system's records with etcdctl in the pod's etcd container", async () => {
    const transcript = walkthrough("containers-skydns-tree");
    expect((await played().kubectl(["create", "-f", "manifests/kube-dns-svc.yaml"], transcript)).code).toBe(0);
    // etcd v3 has no directories: the seed's `etcdctl ls DIR` is `get --prefix --keys-only DIR/`.
    let listed: string[] = [];
    await eventually(
      async () => {
        listed = (await played().etcdctl(["get", "--prefix", "--keys-only", `${KUBE_DNS_DIR}/`])).stdout.split("\n").filter((line) => line !== "");
        return listed.length === 3 ? true : undefined;
      },
      { what: "kube-dns.kube-system's three records", timeoutMs: 30_000, intervalMs: 500 },
    );
    await played().etcdctl(["get", "--prefix", "--keys-only", `${KUBE_DNS_DIR}/`], transcript);
    expect(listed.sort()).toEqual([`${KUBE_DNS_DIR}/21172049`, `${KUBE_DNS_DIR}/_tcp/_dns-tcp/21172049`, `${KUBE_DNS_DIR}/_udp/_dns/21172049`]);
    const value = await played().etcdctl(["get", "--print-value-only", `${KUBE_DNS_DIR}/21172049`], transcript);
    expect(value.stdout.trim()).toBe('{"host":"10.0.0.10","priority":10,"weight":10,"ttl":30,"targetstrip":0}');
  }, 60_000);

  it("turns /healthz 503 while the skydns container is stopped, and 200 once it is started again", async () => {
    const transcript = walkthrough("containers-healthz-skydns-stopped");
    const healthz = async (): Promise<number> => (await played().http(8080, "/healthz")).status;
    expect(await healthz()).toBe(200);
    const skydns = await played().container("skydns");
    transcript.note(`podman stop ${skydns.id.slice(0, 12)} (skydns)`);
    await played().podman(["stop", "-t", "10", skydns.id]);
    const failing = await eventually(async () => {
      const answer = await played().http(8080, "/healthz");
      return answer.status === 503 ? answer : undefined;
    }, { what: "/healthz 503", timeoutMs: 30_000, intervalMs: 500 });
    transcript.note(`GET /healthz: ${failing.status}\n${failing.body}`);
    expect(failing.body).toMatch(/^Healthz probe error: /);
    transcript.note(`podman start ${skydns.id.slice(0, 12)} (skydns)`);
    await played().podman(["start", skydns.id]);
    await eventually(async () => ((await healthz()) === 200 ? true : undefined), { what: "/healthz 200 again", timeoutMs: 60_000, intervalMs: 500 });
    // A stop by hand is not a crash: the engine did not count a restart.
    expect((await played().container("skydns")).restartCount).toBe(skydns.restartCount);
  }, 120_000);

  it.each(CONTAINERS)("keeps every record when the engine restarts %s after it is killed", async (name) => {
    const records = async (): Promise<string> => (await played().etcdctl(["get", "--prefix", "/skydns/local/cluster/svc/"])).stdout;
    const before = await records();
    expect(before).toContain("my-nginx");
    const container = await played().container(name);
    process.kill(container.pid, "SIGKILL");
    const restarted = await eventually(async () => {
      const now = await played().container(name);
      return now.restartCount > container.restartCount && now.status === "running" && now.pid !== container.pid ? now : undefined;
    }, { what: `${name} restarted by the engine`, timeoutMs: 60_000, intervalMs: 250 });
    expect(restarted.oomKilled).toBe(false);
    await played().waitReady(120_000);
    expect(await records()).toBe(before);
    const curl = played().shell("curl", "default");
    try {
      const clusterIP = (await played().kubectl(["get", "service", "my-nginx", "-o", "jsonpath={.spec.clusterIP}"])).stdout.trim();
      expect(shortAnswers((await curl.run("dig", ["+short", MY_NGINX])).stdout)).toEqual([clusterIP]);
    } finally {
      curl.dispose();
    }
  }, 180_000);
});

const ENDPOINTS = CLAIMED_SCALE.services * CLAIMED_SCALE.endpointsPerService;

describe(`at ${CLAIMED_SCALE.services} services and ${ENDPOINTS} endpoints, under the manifest's resources`, () => {
  it(`syncs every service and answers ${QUERIES_PER_SECOND} queries a second with every probe passing, no container killed and memory to spare`, async () => {
    const transcript = walkthrough("containers-sizing");
    const manifest = manifestContainers();
    const before = await played().containers();
    for (const container of manifest.containers) {
      const running = before.get(container.name);
      expect(running?.memoryLimitBytes, `${container.name}'s memory limit in force`).toBe(container.limits.bytes);
      expect(running?.cpuLimitMillicores, `${container.name}'s CPU limit in force`).toBe(container.limits.millicores);
    }
    const sampler = new UsageSampler(() => played().containers());
    const probes = new ProbeWatch(manifest.probes, (port, path) => played().http(port, path, manifest.probes.find((p) => p.port === port)?.timeoutSeconds));
    let syncFrom = 0;
    let queriesFrom = 0;
    let queriesTo = 0;
    try {
      await sampler.sample();
      syncFrom = sampler.mark();
      const file = join(played().dir, "scale-services.json");
      const seed = await played().inNetns(process.execPath, ["--conditions=source", "--import", "tsx", "e2e/harness/containers/seed-main.ts", "--etcd", "http://127.0.0.1:12379", "--out", file], 300_000);
      expect(seed.code, seed.stderr).toBe(0);
      const expected = expectedAnswers(JSON.parse(readFileSync(file, "utf8")) as ScaleService[]);
      expect(expected.size).toBe(CLAIMED_SCALE.services);
      const names = join(played().dir, "scale-names.txt");
      writeFileSync(names, [...expected.keys()].map((name) => `${name} A`).join("\n") + "\n");
      let wrong: string[] = [];
      await eventually(
        async () => {
          const dig = await played().inNetns("dig", [`@${played().clusterDnsIp}`, "+noall", "+answer", "+tries=2", "+time=2", "-f", names], 300_000);
          wrong = mismatches(expected, answersOf(dig.stdout));
          return wrong.length === 0 ? true : undefined;
        },
        { what: `all ${expected.size} services answered right`, timeoutMs: 300_000, intervalMs: 2000 },
      ).catch((error: unknown) => {
        throw new Error(`${String(error)}: ${wrong.length} wrong, e.g. ${wrong.slice(0, 3).join("; ")}`);
      });
      const synced = `synced ${expected.size} services and ${ENDPOINTS} endpoints in ${((Date.now() - syncFrom) / 1000).toFixed(1)} s`;
      transcript.note(synced);
      console.log(synced);

      queriesFrom = sampler.mark();
      const perf = await played().inNetns("dnsperf", ["-s", played().clusterDnsIp, "-d", names, "-l", String(QUERY_SECONDS), "-Q", String(QUERIES_PER_SECOND), "-c", "4"], (QUERY_SECONDS + 60) * 1000);
      queriesTo = sampler.mark();
      transcript.command("node", `dnsperf -s ${played().clusterDnsIp} -d scale-names.txt -l ${QUERY_SECONDS} -Q ${QUERIES_PER_SECOND} -c 4`, perf);
      expect(perf.stdout).toMatch(/Queries lost:\s+0 \(/);
      expect(perf.stdout).toMatch(/Response codes:\s+NOERROR \d+ \(100\.00%\)/);
    } finally {
      await sampler.stop();
      transcript.note(`probes asked: ${await probes.stop()}, failed: ${probes.failures.length}`);
    }

    expect(probes.failures.map((f) => `${f.probe.container} ${f.probe.port}${f.probe.path}: ${f.answer.status} ${f.answer.body.slice(0, 200)}`)).toEqual([]);
    const after = await played().containers();
    const whole = sampler.usage(syncFrom);
    const sync = sampler.usage(syncFrom, queriesFrom);
    const queries = sampler.usage(queriesFrom, queriesTo);
    const rows: SizingRow[] = manifest.containers.map((container) => ({
      container,
      whole: whole.get(container.name)!,
      sync: sync.get(container.name)!,
      queries: queries.get(container.name)!,
    }));
    const table = sizingTable(rows);
    transcript.note(table);
    console.log(table);
    for (const { container, whole: usage } of rows) {
      expect(after.get(container.name)?.restartCount, `${container.name} restarted`).toBe(before.get(container.name)?.restartCount);
      expect(usage.oomKills, `${container.name} OOM kills`).toBe(0);
      // Headroom: the peak stays under 90% of the limit, so a limit set from these numbers is not already full.
      expect(usage.peakRssBytes, `${container.name}'s peak RSS against its limit`).toBeLessThan(0.9 * container.limits.bytes);
    }
  }, 900_000);
});
