/**
 * @kube-dns/etcd-process: starts and stops a real etcd server (Debian's etcd-server binary) on loopback, alone or as
 * a cluster of members, plain or over TLS. The tests use it with free ports and a temporary data dir; the local pod
 * uses it as its etcd container.
 */
export { EtcdNotFoundError, etcdBinary, findExecutable, SETUP_COMMAND } from "./binary.js";
export { freePort } from "./ports.js";
export { startEtcd, terminate } from "./server.js";
export type { ClusterMembership, EtcdOptions, EtcdServer } from "./server.js";
export { startEtcdCluster } from "./cluster.js";
export type { EtcdCluster, EtcdClusterOptions } from "./cluster.js";
export { makeEtcdCertificates } from "./certificates.js";
export type { EtcdCertificates } from "./certificates.js";
export type { EtcdTls } from "./tls.js";
