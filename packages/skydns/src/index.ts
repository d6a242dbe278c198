/**
 * @kube-dns/skydns: The DNS server: answers the cluster domain from an in-memory index of /skydns fed by an etcd watch, forwards the rest.
 */
export {};
