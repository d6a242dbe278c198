import type { Logger } from "@kube-dns/log";
import type { Etcd3 } from "etcd3";
import type { Metrics } from "../metrics.js";
import type { Registry } from "../registry/registry.js";
import type { Storage } from "../storage/storage.js";

/** ControllerDeps are a controller's collaborators: etcd to read and watch, the registry to write through, logs and metrics. */
export interface ControllerDeps {
  readonly client: Etcd3;
  readonly storage: Storage;
  readonly registry: Registry;
  readonly log: Logger;
  readonly metrics: Metrics;
  /** Delay before a resync, and before a failed sync's first retry; 1 s by default. */
  readonly retryMs?: number;
}
