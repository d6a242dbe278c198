import { startEtcd } from "@kube-dns/etcd-process";
import { startDevApiServer } from "../src/index.js";
const etcd = await startEtcd();
const s = await startDevApiServer({ etcdUrl: etcd.clientUrl, logLevel: "info", kubeconfigPath: "/tmp/dev-api-scratch/kubeconfig", port: 18089 });
console.log(s.url, etcd.clientUrl);
process.once("SIGTERM", () => { void s.stop().then(() => etcd.stop()); });
