import { type SeededService } from "../e2e/harness/cluster-seed.js";
import { sweep, type Expected } from "../e2e/harness/dns-sweep.js";
import { startPod, type PodUnderTest } from "../e2e/harness/pod-under-test.js";
import { onStop } from "./cleanup.js";

/** A /15 service range: room for 100,000 services and more past the dev API server's static band. */
export const SERVICE_RANGE = "10.0.0.0/15";

/** BenchPod is the pod under test as the bench runs it, and the function that stops it (once). */
export interface BenchPod {
  readonly pod: PodUnderTest;
  readonly stop: () => Promise<void>;
}

/** startBenchPod starts the whole pod with the built programs (what the images run), no query log, a /15 range. */
export async function startBenchPod(): Promise<BenchPod> {
  const pod = await startPod({ queryLog: false, built: true, upArgs: [`--service-cluster-ip-range=${SERVICE_RANGE}`] });
  // The pod's stop SIGKILLs any process it left and then reports it: the bench says so and goes on to its next part.
  const stop = (): Promise<void> => pod.stop().catch((error: unknown) => void process.stderr.write(`[bench] stopping the pod: ${String(error)}\n`));
  return { pod, stop: onStop(stop) };
}

/** benchServices names count services in 100 namespaces, one cluster IP each from 10.0.1.0 upwards. */
export function benchServices(count: number): SeededService[] {
  return Array.from({ length: count }, (_, i) => {
    const offset = 256 + i;
    return { namespace: `bench-${i % 100}`, name: `svc-${i}`, clusterIP: `10.${offset >> 16}.${(offset >> 8) & 255}.${offset & 255}` };
  });
}

/** expectedA is what each seeded service must answer: its cluster IP. */
export function expectedA(services: readonly SeededService[]): Expected[] {
  return services.map((s) => ({ name: `${s.name}.${s.namespace}.svc.cluster.local`, type: "A", rcode: "NOERROR", data: [s.clusterIP] }));
}

/**
 * allRight sweeps every expected name through skydns until all answer right (every 2 s, at most timeoutMs), and
 * returns how long that took and the rate of the last, right, sweep.
 */
export async function allRight(pod: PodUnderTest, expected: readonly Expected[], timeoutMs: number, progress: (line: string) => void): Promise<{ seconds: number; qps: number }> {
  const started = Date.now();
  for (;;) {
    const result = await sweep(pod.dnsIp, 53, expected);
    if (result.mismatches.length === 0) return { seconds: (Date.now() - started) / 1000, qps: result.asked / result.seconds };
    if (Date.now() - started > timeoutMs) throw new Error(`${result.mismatches.length} of ${result.asked} answers still wrong after ${timeoutMs / 1000} s, e.g. ${JSON.stringify(result.mismatches[0])}`);
    progress(`${result.mismatches.length} of ${result.asked} not right yet`);
    await new Promise((resolve) => setTimeout(resolve, 2000));
  }
}
