// bench/doctor.ts: how long `kube-dns doctor` takes on a pod of 10,000 services (SIZE to change it). Not part of the
// test suite. Run as root from the repository root:
//
//   node --conditions=source --import tsx bench/doctor.ts
//
// A fresh pod, the services written into the local cluster's store (one named port each: A, SRV and PTR records),
// kube2sky's first sync awaited, then the real command run twice on it; prints what each run's summary line says.
import { seedServices, type SeededService } from "../e2e/harness/cluster-seed.js";
import { eventually } from "../e2e/harness/poll.js";
import { startPod } from "../e2e/harness/pod-under-test.js";

const SIZE = Number(process.env["SIZE"] ?? 10_000);

function services(count: number): SeededService[] {
  return Array.from({ length: count }, (_, i) => {
    const offset = 256 + i;
    return { namespace: `bench-${i % 100}`, name: `svc-${i}`, clusterIP: `10.${offset >> 16}.${(offset >> 8) & 255}.${offset & 255}` };
  });
}

const pod = await startPod({ queryLog: false, upArgs: ["--service-cluster-ip-range=10.0.0.0/15"] });
try {
  await seedServices(pod.clusterEtcdUrl, services(SIZE));
  // Each service's A, SRV and PTR, plus the cluster's own few.
  await eventually(async () => ((await pod.kube2skyMetric("kubedns_kube2sky_records_managed")) ?? 0) >= 3 * SIZE ? true : undefined, {
    what: `kube2sky's records for ${SIZE} services`, timeoutMs: 30 * 60_000, intervalMs: 2000,
  });
  for (const run of [1, 2]) {
    const started = Date.now();
    const result = await pod.kubeDnsDoctor(["--settle=0"], { timeoutMs: 20 * 60_000 });
    const summary = result.stdout.trim().split("\n").at(-1);
    if (result.code > 1) console.log(result.stderr);
    console.log(`run ${run}: exit ${result.code}, ${((Date.now() - started) / 1000).toFixed(1)} s wall (node start included): ${summary}`);
  }
} finally {
  await pod.stop();
}
