/**
 * @kube-dns/dev-apiserver: a small Kubernetes API server over etcd, real on the wire (client-node informers
 * and kubectl work against it unchanged), for the local pod and the tests.
 */
export { startDevApiServer } from "./server.js";
export type { DevApiServer, DevApiServerOptions } from "./server.js";
export { storeObjects } from "./storage/store-objects.js";
export type { KubeObject } from "./api/types.js";
