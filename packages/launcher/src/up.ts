import { mkdirSync } from "node:fs";
import { join, relative } from "node:path";
import { createFromManifest } from "./cluster-setup.js";
import type { Logger } from "@kube-dns/log";
import { KUBELET_BACKOFF } from "./backoff.js";
import type { StatusServer } from "@kube-dns/status";
import { type PodConfig, type PodPlan, planPod } from "./pod.js";
import { REPO_ROOT } from "./programs.js";
import { stopOnSignals } from "./signals.js";
import { OutputTail, startReadyTogether } from "./startup.js";
import { doctorOf, serveStatus } from "./status-page.js";
import { Supervisor } from "./supervisor.js";

/** How long one container may take to become ready before `up` gives up (first start builds nothing, so this is generous). */
const READY_TIMEOUT_MS = 60_000;

/**
 * runPod starts the pod's containers in dependency order (each waits for the one before it to be ready, as the
 * kubelet's readiness gates would), prints where everything is, and supervises until Ctrl-C or SIGTERM.
 * Returns the exit status: 0 after a clean stop, 1 when the pod never came up.
 */
export async function runPod(config: PodConfig & { readonly restartBackoffMs: number }, logger: Logger, print: (text: string) => void): Promise<number> {
  mkdirSync(config.stateDir, { recursive: true });
  const plan = planPod(config);
  const tail = new OutputTail((text, stream) => process[stream].write(text));
  const backoff = { ...KUBELET_BACKOFF, baseMs: config.restartBackoffMs };
  const supervisor = new Supervisor({ graceMs: 10_000, output: tail.output, backoff });
  supervisor.on("exited", (name, status, restartInMs) => {
    // A container that ends because the pod is stopping is expected; one that dies on its own is a warning.
    const level = restartInMs === undefined ? "info" : "warn";
    logger[level]({ container: name, code: status.code, signal: status.signal, error: status.error, restartInSeconds: restartInMs === undefined ? undefined : restartInMs / 1000 }, "container exited");
  });
  supervisor.on("unhealthy", (name) => logger.warn({ container: name }, "liveness probe failed; restarting the container"));
  supervisor.on("error", (error) => logger.error({ err: error }, "supervisor error"));
  const stopped = new Promise<void>((resolve) => supervisor.once("stopped", resolve));
  const removeHandlers = stopOnSignals(supervisor, (signal, count) => {
    print(count === 1 ? `\n${signal}: stopping the pod (again to kill at once)\n` : `\n${signal}: killing the pod\n`);
  });
  let status: StatusServer | undefined;
  try {
    for (const stage of plan.stages) {
      await startReadyTogether(supervisor, stage, READY_TIMEOUT_MS, tail);
      if (stage.some((child) => child.name === "dev-apiserver")) {
        // The local cluster is given what an operator applies to a real one: the kube-dns Service (10.0.0.10).
        const created = await createFromManifest(`http://127.0.0.1:${config.apiserverPort}`, join(REPO_ROOT, "manifests", "kube-dns-svc.yaml"));
        logger.info({ services: created }, "created the kube-dns service in the local cluster");
      }
    }
    await waitHealthy(plan.healthzUrl, READY_TIMEOUT_MS);
    if (config.statusPort !== 0) {
      const wiring = { ...config, etcdServer: plan.etcdUrl, kubeconfig: plan.kubeconfig };
      // The page is for people, not part of the pod: a taken port costs the page, never the pod.
      status = await serveStatus(wiring, logger, doctorOf(wiring)).catch((error: unknown) => {
        print(`kube-dns up: no status page: cannot listen on 127.0.0.1:${config.statusPort}: ${error instanceof Error ? error.message : String(error)} (--status-port picks another, 0 none)\n`);
        return undefined;
      });
    }
    print(banner(status === undefined ? { ...config, statusPort: 0 } : config, plan));
  } catch (error) {
    print(`kube-dns up: the pod did not come up: ${error instanceof Error ? error.message : String(error)}\n`);
    await status?.close();
    await supervisor.stop();
    removeHandlers();
    return 1;
  }
  await stopped;
  await status?.close();
  removeHandlers();
  print("kube-dns: every container stopped\n");
  return 0;
}

// exec-healthz's first nslookup through skydns proves the whole chain: API -> kube2sky -> etcd -> skydns.
async function waitHealthy(url: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = "no answer";
  while (Date.now() < deadline) {
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(2000) });
      last = `${response.status} ${(await response.text()).trim().slice(0, 200)}`;
      if (response.status === 200 && !last.includes("seeded at start")) return;
    } catch (error) {
      last = error instanceof Error ? error.message : String(error);
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`${url} did not turn healthy within ${timeoutMs / 1000}s (last: ${last})`);
}

/** banner is what a new user reads once the pod is up: where things are and what to try. */
export function banner(config: PodConfig, plan: PodPlan): string {
  const zone = config.domain.replace(/\.$/, "");
  const at = config.dnsPort === 53 ? `@${config.dnsHost}` : `@${config.dnsHost} -p ${config.dnsPort}`;
  const nslookupPort = config.dnsPort === 53 ? "" : ` -port=${config.dnsPort}`;
  const examples = relative(process.cwd(), "manifests/examples") || "manifests/examples";
  const cluster = config.kubeconfig === undefined ? "a local API server (packages/dev-apiserver)" : `the cluster in ${config.kubeconfig}`;
  return `
kube-dns is up, watching ${cluster}.

  DNS          ${config.dnsHost}:${config.dnsPort} (UDP and TCP), zone ${zone}
  kubeconfig   ${plan.kubeconfig}
  etcd         ${plan.etcdUrl}  (records under /skydns${config.etcdMembers > 1 ? `; ${config.etcdMembers} members` : ""})
  healthz      ${plan.healthzUrl}
  readiness    http://127.0.0.1:${config.readinessPort}/readiness  (kube2sky)
  metrics      http://127.0.0.1:${config.metricsPort}/metrics  (skydns), http://127.0.0.1:${config.readinessPort}/metrics  (kube2sky)
${config.statusPort === 0 ? "" : `  status page  http://127.0.0.1:${config.statusPort}/
`}
Try, in another terminal:
  export KUBECONFIG=${plan.kubeconfig}
  kubectl create -f ${examples}/nginx-service.yaml
  dig ${at} my-nginx.default.svc.${zone}
  nslookup${nslookupPort} kubernetes.default.svc.${zone} ${config.dnsHost}
  curl ${plan.healthzUrl}
  etcdctl --endpoints ${plan.etcdUrl} get --prefix /skydns
  ./kube-dns tree --etcd-server ${plan.etcdUrl}

Ctrl-C stops the pod.
`;
}
