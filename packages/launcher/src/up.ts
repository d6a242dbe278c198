/** UP_NOT_WIRED is what `kube-dns up` says until the containers it supervises have landed. */
export const UP_NOT_WIRED = `kube-dns up is not wired yet.

The Supervisor that will run the pod is ready (restarts with back-off, liveness from exec-healthz's /healthz,
prefixed logs, a clean stop on Ctrl-C), and so are etcd (packages/etcd-process) and exec-healthz.
Still to wire, once they land: the local API server (packages/dev-apiserver), kube2sky and skydns,
then the printout of where DNS listens, the kubeconfig for kubectl and the commands to try.

Meanwhile, \`kube-dns tree --etcd-server URL\` prints the records of an etcd you run yourself.
`;
