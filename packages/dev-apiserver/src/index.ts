/**
 * @kube-dns/dev-apiserver: A small Kubernetes API server over etcd, real on the wire, for the local pod and the tests.
 */
export {};
