import type { Logger } from "@kube-dns/log";
import { type DoctorVerdict, startStatusServer, type StatusServer, type Targets } from "@kube-dns/status";
import { endpointsOf } from "@kube-dns/etcd-feed";

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
 * serveStatus starts the status page of the pod on 127.0.0.1 (never wider: it shows the pod's inner workings). doctor,
 * when given, runs the doctor for the page's verdict; without it the page says "doctor not run".
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
    log,
  });
}
