import { DEFAULT_PREFIX } from "@kube-dns/msg";
import { runDoctor } from "@kube-dns/doctor";
import type { Logger } from "@kube-dns/log";
import { type DoctorVerdict, startStatusServer, type StatusServer, type Targets, verdictOf } from "@kube-dns/status";
import { endpointsOf } from "@kube-dns/etcd-feed";

/** DOCTOR_PERIOD_MS is how often the page's doctor runs: a whole comparison reads every record (a minute at 10,000 services on a busy machine). */
export const DOCTOR_PERIOD_MS = 5 * 60_000;

/** StatusWiring is where the pod's parts listen, as `kube-dns up` places them, and where the page goes. */
export interface StatusWiring {
  readonly dnsHost: string;
  readonly dnsPort: number;
  /** The pod's etcd client URLs, comma separated. */
  readonly etcdServer: string;
  readonly kubeconfig: string | undefined;
  readonly healthzPort: number;
  readonly readinessPort: number;
  readonly metricsPort: number;
  readonly statusPort: number;
  /** The cluster domain, for the doctor; cluster.local unless told. */
  readonly domain?: string;
}

/** targetsOf turns the pod's wiring into the URLs the page reads: every container shares the pod's loopback. */
export function targetsOf(wiring: StatusWiring): Targets {
  const loopback = "http://127.0.0.1";
  return {
    etcdUrls: endpointsOf(wiring.etcdServer),
    kube2skyUrl: `${loopback}:${wiring.readinessPort}`,
    skydnsUrl: `${loopback}:${wiring.metricsPort}`,
    healthzUrl: `${loopback}:${wiring.healthzPort}`,
  };
}

/**
 * doctorOf is the page's doctor: `kube-dns doctor` with its defaults against the pod's wiring, as its verdict. Without
 * a kubeconfig it uses the in-cluster service account, as `kube-dns doctor` does.
 */
export function doctorOf(wiring: StatusWiring): () => Promise<DoctorVerdict> {
  return () =>
    runDoctor({
      kubeconfig: wiring.kubeconfig, endpointsApi: "endpointslices", pods: true, etcdServer: wiring.etcdServer,
      dnsHost: wiring.dnsHost, dnsPort: wiring.dnsPort, domain: wiring.domain ?? "cluster.local", prefix: DEFAULT_PREFIX, settleMs: 2000, timeoutMs: 5000,
    }).then(verdictOf);
}

/**
 * serveStatus starts the status page of the pod on 127.0.0.1 (never wider: it shows the pod's inner workings). doctor,
 * when given, runs the doctor for the page's verdict (at start, then every DOCTOR_PERIOD_MS); without it the page
 * says "doctor not run".
 */
export function serveStatus(wiring: StatusWiring, log: Logger, doctor?: () => Promise<DoctorVerdict>): Promise<StatusServer> {
  return startStatusServer({
    host: "127.0.0.1",
    port: wiring.statusPort,
    targets: targetsOf(wiring),
    about: [
      ["DNS", `${wiring.dnsHost}:${wiring.dnsPort}`],
      ["etcd", wiring.etcdServer],
      ["cluster", wiring.kubeconfig ?? "a local API server"],
    ],
    doctor,
    doctorPeriodMs: DOCTOR_PERIOD_MS,
    log,
  });
}
