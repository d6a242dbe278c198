import { CoreV1Api, DiscoveryV1Api, type KubeConfig, type KubernetesObject } from "@kubernetes/client-node";
import { type Kind, runInformer } from "./informer.js";
import type { Logger } from "@kube-dns/log";
import type { Metrics } from "./metrics.js";
import type { WatchPacing } from "./paced-watch.js";
import { toEndpointGroupFromSlice, toEndpointGroupsFromEndpoints, toPod, toService } from "./objects.js";
import type { Store, UnitId } from "./store.js";

/** WatchOptions says what to watch and where changes go. */
export interface WatchOptions {
  readonly kubeConfig: KubeConfig;
  readonly store: Store;
  readonly endpointsApi: "endpointslices" | "endpoints";
  readonly pods: boolean;
  readonly metrics: Metrics;
  readonly log: Logger;
  /** Called with the units an event affects. */
  readonly onChange: (units: UnitId[]) => void;
  /** Called after every full list of a kind once all kinds have listed: the first sync, and each relist. */
  readonly onListed: () => void;
  /** Watch request lifetime and restart pacing; DEFAULT_WATCH_PACING when omitted. */
  readonly watchPacing?: WatchPacing | undefined;
}

/** Watches is the running set of informers. */
export interface Watches {
  /** Resolves once every kind has been listed. */
  readonly listed: Promise<void>;
  stop(): Promise<void>;
}

/**
 * startWatches runs one informer (list, then watch) per kind: Services, EndpointSlices or Endpoints, and Pods
 * when pod records are on. The informer relists by itself after 410 Gone; after any other failure it is
 * restarted with backoff. Every completed list triggers onListed, so a relist is always followed by a reconcile.
 */
export function startWatches(options: WatchOptions): Watches {
  const { kubeConfig, store, log } = options;
  const core = kubeConfig.makeApiClient(CoreV1Api);
  const kinds: Array<Kind<KubernetesObject>> = [
    kind({
      kind: "service",
      path: "/api/v1/services",
      list: () => core.listServiceForAllNamespaces(),
      upsert: (s) => store.setService(toService(s)),
      remove: (s) => store.deleteService(s.metadata?.namespace ?? "", s.metadata?.name ?? ""),
    }),
  ];
  if (options.endpointsApi === "endpointslices") {
    const discovery = kubeConfig.makeApiClient(DiscoveryV1Api);
    kinds.push(
      kind({
        kind: "endpointslice",
        path: "/apis/discovery.k8s.io/v1/endpointslices",
        list: () => discovery.listEndpointSliceForAllNamespaces(),
        upsert: (s) => store.setGroups(sourceOf("slice", s), toEndpointGroupFromSlice(s)),
        remove: (s) => store.setGroups(sourceOf("slice", s), []),
      }),
    );
  } else {
    kinds.push(
      kind({
        kind: "endpoints",
        path: "/api/v1/endpoints",
        list: () => core.listEndpointsForAllNamespaces(),
        upsert: (e) =>
          store.setGroups(sourceOf("endpoints", e), toEndpointGroupsFromEndpoints(e, (reason) => {
            options.metrics.skippedTotal.inc();
            log.warn({ endpoints: sourceOf("endpoints", e), reason }, "ignored a bad annotation");
          })),
        // v1.2 had no Endpoints delete handler (reference section 6, bug 3); a deletion removes the records.
        remove: (e) => store.setGroups(sourceOf("endpoints", e), []),
      }),
    );
  }
  if (options.pods) {
    kinds.push(
      kind({
        kind: "pod",
        path: "/api/v1/pods",
        list: () => core.listPodForAllNamespaces(),
        upsert: (p) => store.setPod(toPod(p)),
        remove: (p) => store.deletePod(p.metadata?.namespace ?? "", p.metadata?.name ?? ""),
      }),
    );
  }
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
  const running = kinds.map((k) => runInformer(k, options, onListed));
  return {
    listed,
    async stop() {
      await Promise.all(running.map((r) => r.stop()));
    },
  };
}

// kind erases a Kind's object type so that kinds of different types share one list.
function kind<T extends KubernetesObject>(spec: Kind<T>): Kind<KubernetesObject> {
  return spec as unknown as Kind<KubernetesObject>;
}

function sourceOf(kindName: string, obj: KubernetesObject): string {
  return `${kindName}/${obj.metadata?.namespace ?? ""}/${obj.metadata?.name ?? ""}`;
}
