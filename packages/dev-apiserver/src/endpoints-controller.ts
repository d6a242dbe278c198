import type { Etcd3 } from "etcd3";
import type { Logger } from "./log.js";
import type { Metrics } from "./metrics.js";
import type { Registry } from "./registry.js";
import type { Storage } from "./storage.js";

/** EndpointsControllerDeps are the controller's collaborators. */
export interface EndpointsControllerDeps {
  readonly client: Etcd3;
  readonly storage: Storage;
  readonly registry: Registry;
  readonly log: Logger;
  readonly metrics: Metrics;
}

/** startEndpointsController is a placeholder until the controller lands. */
export function startEndpointsController(_deps: EndpointsControllerDeps): Promise<{ stop(): Promise<void> }> {
  return Promise.resolve({ stop: () => Promise.resolve() });
}
