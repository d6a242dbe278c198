import { CoreV1Api, DiscoveryV1Api, type KubeConfig } from "@kubernetes/client-node";
import type { Logger } from "@kube-dns/log";
import type { ProgrammedChange } from "@kube-dns/msg";
import { abortableBy } from "./kube.js";
import type { Metrics } from "./metrics.js";
import { endpointSliceKind, endpointsKind, POD_FIELD_SELECTOR, podKind, serviceKind } from "./kinds.js";
import { PacedWatch, type WatchPacing } from "./paced-watch.js";
import { type Kind, Reflector } from "./reflector.js";
import type { Store } from "./store.js";
import type { UnitId } from "./unit.js";

/** WatchOptions says what to watch and where changes go. */
export interface WatchOptions {
  readonly kubeConfig: KubeConfig;
  readonly store: Store;
  readonly endpointsApi: "endpointslices" | "endpoints";
  readonly pods: boolean;
  readonly metrics: Metrics;
  readonly log: Logger;
  /** Called with the units an event affects, and the event with its times. */
  readonly onChange: (units: UnitId[], change: ProgrammedChange) => void;
  /** Called after every full list of a kind once all kinds have listed: the first sync, and each relist. */
  readonly onListed: () => void;
  /** Watch request lifetime and restart pacing; DEFAULT_WATCH_PACING when omitted. */
  readonly watchPacing?: WatchPacing | undefined;
}

/** Watches is the running set of reflectors. */
export interface Watches {
  /** Resolves once every kind has been listed. */
  readonly listed: Promise<void>;
  stop(): Promise<void>;
}

/**
 * kindsFor lists the kinds the records depend on, each listed through the API client: Services, EndpointSlices or
 * Endpoints, and Pods (with POD_FIELD_SELECTOR) when pod records are on. What each kind's objects do goes to store.
 */
export function kindsFor(
  kubeConfig: KubeConfig,
  store: Store,
  options: { readonly endpointsApi: "endpointslices" | "endpoints"; readonly pods: boolean },
  onBadAnnotation: (source: string, reason: string) => void,
): Kind[] {
  const core = kubeConfig.makeApiClient(CoreV1Api);
  const kinds: Kind[] = [serviceKind(store, (limit, token, signal) => core.listServiceForAllNamespaces({ limit, _continue: token }, abortableBy(signal)))];
  if (options.endpointsApi === "endpointslices") {
    const discovery = kubeConfig.makeApiClient(DiscoveryV1Api);
    kinds.push(endpointSliceKind(store, (limit, token, signal) => discovery.listEndpointSliceForAllNamespaces({ limit, _continue: token }, abortableBy(signal))));
  } else {
    kinds.push(endpointsKind(store, (limit, token, signal) => core.listEndpointsForAllNamespaces({ limit, _continue: token }, abortableBy(signal)), onBadAnnotation));
  }
  if (options.pods) {
    const fieldSelector = POD_FIELD_SELECTOR;
    kinds.push(podKind(store, (limit, token, signal) => core.listPodForAllNamespaces({ limit, _continue: token, fieldSelector }, abortableBy(signal))));
  }
  return kinds;
}

/**
 * startWatches runs one reflector (a paged list, then a watch) per kind: Services, EndpointSlices or Endpoints, and
 * Pods when pod records are on (the default, as in v1.2). Each object is converted to its slim form as it arrives. Every completed list
 * triggers onListed, so a relist is always followed by a reconcile.
 */
export function startWatches(options: WatchOptions): Watches {
  const { kubeConfig, store, log } = options;
  const onBadAnnotation = (source: string, reason: string): void => {
    options.metrics.skippedTotal.inc();
    log.warn({ endpoints: source, reason }, "ignored a bad annotation");
  };
  const kinds = kindsFor(kubeConfig, store, options, onBadAnnotation);
  const listedKinds = new Set<string>();
  let markListed: () => void = () => {};
  const listed = new Promise<void>((resolve) => (markListed = resolve));
  const onListed = (name: string | undefined): void => {
    if (name !== undefined) {
      options.metrics.listsTotal.inc({ kind: name });
      listedKinds.add(name);
    }
    if (listedKinds.size < kinds.length) return;
    markListed();
    options.onListed();
  };
  const reflectors = kinds.map((kind) => {
    // Each kind has its own watch, so each paces its own restarts.
    const watcher = new PacedWatch(kubeConfig, options.watchPacing);
    return new Reflector(kind, { watcher, metrics: options.metrics, log, onChange: options.onChange, onListed });
  });
  for (const reflector of reflectors) reflector.start();
  return {
    listed,
    async stop() {
      await Promise.all(reflectors.map((r) => r.stop()));
    },
  };
}
