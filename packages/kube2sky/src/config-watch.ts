import { CoreV1Api, type KubeConfig, type V1ConfigMap } from "@kubernetes/client-node";
import type { Logger } from "@kube-dns/log";
import { type DnsConfig, parseDnsConfig } from "./dns-config.js";
import { abortableBy } from "./kube.js";
import type { Metrics } from "./metrics.js";
import { PacedWatch, type WatchPacing } from "./paced-watch.js";
import { type Kind, keyOf, Reflector } from "./reflector.js";

/** ConfigWatchOptions say which ConfigMap to watch and where its configuration goes. */
export interface ConfigWatchOptions {
  readonly kubeConfig: KubeConfig;
  /** `namespace/name` of the ConfigMap. */
  readonly configMap: string;
  /** The cluster domain as a name, `cluster.local.`: no stub domain may lie inside it. */
  readonly zone: string;
  readonly metrics: Metrics;
  readonly log: Logger;
  /** Hears every configuration to mirror: an accepted version of the ConfigMap, or {} when there is none. */
  readonly onConfig: (config: DnsConfig) => void;
  readonly watchPacing?: WatchPacing | undefined;
}

/**
 * configMapKind lists and watches the one ConfigMap, selected by name: RBAC grants kube2sky that ConfigMap alone
 * (resourceNames), and kube-apiserver authorizes a list or watch against resourceNames only when a metadata.name field
 * selector names it. A version that does not parse is refused as a whole, logged and counted; the last good
 * configuration stays. A ConfigMap that is deleted, or absent at a list, means the flags' defaults ({}).
 */
export function configMapKind(options: ConfigWatchOptions): Kind {
  const { configMap, zone, metrics, log, onConfig } = options;
  const [namespace = "", name = ""] = configMap.split("/");
  const fieldSelector = `metadata.name=${name}`;
  const core = options.kubeConfig.makeApiClient(CoreV1Api);
  let held: string | undefined;
  return {
    kind: "configmap",
    path: `/api/v1/namespaces/${namespace}/configmaps`,
    fieldSelector,
    list: (limit, token, signal) => core.listNamespacedConfigMap({ namespace, fieldSelector, limit, _continue: token }, abortableBy(signal)),
    upsert: (obj) => {
      held = keyOf(obj);
      const parsed = parseDnsConfig((obj as V1ConfigMap).data, zone);
      if (parsed.ok) onConfig(parsed.config);
      else {
        metrics.configRefusedTotal.inc();
        log.warn({ configMap, resourceVersion: obj.metadata?.resourceVersion, reason: parsed.reason }, `refused ConfigMap ${configMap}; the last good configuration stays`);
      }
      return [];
    },
    remove: () => {
      held = undefined;
      log.info({ configMap }, `ConfigMap ${configMap} is gone; back to the flags' defaults`);
      onConfig({});
      return [];
    },
    held: () => (held === undefined ? [] : [held]),
  };
}

/** startConfigWatch runs a reflector on the ConfigMap; after a list that did not find it, the defaults apply. */
export function startConfigWatch(options: ConfigWatchOptions): { stop(): Promise<void> } {
  const kind = configMapKind(options);
  const reflector = new Reflector(kind, {
    watcher: new PacedWatch(options.kubeConfig, options.watchPacing),
    metrics: options.metrics,
    log: options.log,
    onChange: () => {},
    onListed: (listed) => {
      if (listed === undefined) return;
      options.metrics.listsTotal.inc({ kind: listed });
      if ([...kind.held()].length === 0) options.onConfig({});
    },
  });
  reflector.start();
  return { stop: () => reflector.stop() };
}
