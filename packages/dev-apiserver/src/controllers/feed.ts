import type { Etcd3 } from "etcd3";
import { prefixFor, type Resource } from "../api/resources.js";
import type { KubeObject } from "../api/types.js";
import { watchPrefix, type StoreWatch, type StoreWatchHandlers } from "../storage/etcd-watch.js";
import type { Storage } from "../storage/storage.js";

/** Listed is every object of a resource as of one revision. */
export interface Listed {
  readonly items: readonly KubeObject[];
  readonly revision: number;
}

/** Feed is where a controller loop reads a resource: a list of every namespace's objects, then a watch from a revision on. */
export interface Feed {
  /** list reads every object of resource; a value that is not a JSON object is left out and reported to onUndecodable. */
  list(resource: Resource, onUndecodable: (key: string, error: Error) => void): Promise<Listed>;
  /** watch follows every object of resource from startRevision (inclusive). */
  watch(resource: Resource, startRevision: number, handlers: StoreWatchHandlers): StoreWatch;
}

/** etcdFeed reads resources from etcd: lists in pages at one revision, watches that skip no revision. */
export function etcdFeed(client: Etcd3, storage: Storage): Feed {
  return {
    list: (resource, onUndecodable) => storage.list(prefixFor(resource, undefined), { onUndecodable }),
    watch: (resource, startRevision, handlers) => watchPrefix(client, prefixFor(resource, undefined), startRevision, handlers),
  };
}
