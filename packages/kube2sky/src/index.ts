/**
 * @kube-dns/kube2sky: The bridge: list+watch Kubernetes Services, EndpointSlices and Pods; keep /skydns in etcd equal to them.
 */
export {};
