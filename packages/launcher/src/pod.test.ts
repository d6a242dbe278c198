import { describe, expect, it } from "vitest";
import { type PodConfig, planPod } from "./pod.js";

const config: PodConfig = {
  domain: "cluster.local",
  serviceClusterIpRange: "10.0.0.0/16",
  dnsHost: "127.0.0.10",
  dnsPort: 53,
  nameservers: ["127.0.0.1:5301"],
  zones: [],
  kubeconfig: undefined,
  stateDir: "/var/lib/kube-dns",
  etcdPort: 2379,
  etcdMembers: 1,
  clusterEtcdPort: 2389,
  apiserverPort: 6443,
  healthzPort: 8080,
  readinessPort: 8081,
  metricsPort: 9153,
  statusPort: 8090,
  fromSource: true,
  etcdBinary: "etcd",
  queryLog: false,
  autopath: false,
};

describe("planPod", () => {
  it("starts the local cluster first, then the pod's four containers", () => {
    expect(planPod(config).children.map((c) => c.name)).toEqual(["cluster-etcd", "dev-apiserver", "etcd", "kube2sky", "skydns", "exec-healthz"]);
  });

  it("serves a real cluster without a local API server when given a kubeconfig", () => {
    const plan = planPod({ ...config, kubeconfig: "/home/me/.kube/config" });
    expect(plan.children.map((c) => c.name)).toEqual(["etcd", "kube2sky", "skydns", "exec-healthz"]);
    expect(plan.children.find((c) => c.name === "kube2sky")?.args).toContain("--kubecfg-file=/home/me/.kube/config");
  });

  it("wires the containers as the manifest does: one etcd URL, one domain, exec-healthz asking this skydns", () => {
    const children = new Map(planPod(config).children.map((c) => [c.name, c]));
    expect(children.get("kube2sky")?.args).toEqual(expect.arrayContaining(["--etcd-server=http://127.0.0.1:2379", "--domain=cluster.local", "--healthz-port=8081"]));
    expect(children.get("skydns")?.args).toEqual(
      expect.arrayContaining(["--machines=http://127.0.0.1:2379", "--addr=127.0.0.10:53", "--nameservers=127.0.0.1:5301", "--metrics-addr=127.0.0.1:9153"]),
    );
    expect(children.get("exec-healthz")?.args).toContain("--cmd=nslookup kubernetes.default.svc.cluster.local 127.0.0.10 >/dev/null");
    expect(children.get("skydns")?.liveness?.url).toBe("http://127.0.0.1:8080/healthz");
    expect(children.get("etcd")?.args).toContain("--data-dir=/var/lib/kube-dns/etcd");
  });

  it("runs the pod's etcd as a cluster with --etcd-members 3: three members started together, every member given to kube2sky and skydns", () => {
    const plan = planPod({ ...config, etcdMembers: 3 });
    expect(plan.stages.map((stage) => stage.map((c) => c.name))).toEqual([["cluster-etcd"], ["dev-apiserver"], ["etcd-1", "etcd-2", "etcd-3"], ["kube2sky"], ["skydns"], ["exec-healthz"]]);
    const urls = "http://127.0.0.1:2379,http://127.0.0.1:2381,http://127.0.0.1:2383";
    expect(plan.etcdUrl).toBe(urls);
    const children = new Map(plan.children.map((c) => [c.name, c]));
    expect(children.get("etcd-2")?.args).toEqual(
      expect.arrayContaining([
        "--name=etcd-2",
        "--data-dir=/var/lib/kube-dns/etcd-2",
        "--listen-client-urls=http://127.0.0.1:2381",
        "--listen-peer-urls=http://127.0.0.1:2382",
        "--initial-cluster=etcd-1=http://127.0.0.1:2380,etcd-2=http://127.0.0.1:2382,etcd-3=http://127.0.0.1:2384",
      ]),
    );
    expect(children.get("etcd-3")?.readiness?.url).toBe("http://127.0.0.1:2383/health");
    expect(children.get("kube2sky")?.args).toContain(`--etcd-server=${urls}`);
    expect(children.get("skydns")?.args).toContain(`--machines=${urls}`);
  });

  it("keeps the pod's etcd and the cluster's etcd apart", () => {
    const children = new Map(planPod(config).children.map((c) => [c.name, c]));
    expect(children.get("dev-apiserver")?.args).toContain("--etcd-servers=http://127.0.0.1:2389");
    expect(children.get("cluster-etcd")?.args).toContain("--data-dir=/var/lib/kube-dns/cluster-etcd");
  });

  it("asks nslookup for the port when DNS is not on 53", () => {
    const healthz = planPod({ ...config, dnsPort: 1053 }).children.find((c) => c.name === "exec-healthz");
    expect(healthz?.args).toContain("--cmd=nslookup -port=1053 kubernetes.default.svc.cluster.local 127.0.0.10 >/dev/null");
  });

  it("turns on skydns's query log on request", () => {
    expect(planPod({ ...config, queryLog: true }).children.find((c) => c.name === "skydns")?.args).toContain("--verbose");
    expect(planPod(config).children.find((c) => c.name === "skydns")?.args).not.toContain("--verbose");
  });

  it("passes --autopath through to skydns only when asked", () => {
    expect(planPod({ ...config, autopath: true }).children.find((c) => c.name === "skydns")?.args).toContain("--autopath");
    expect(planPod(config).children.find((c) => c.name === "skydns")?.args).not.toContain("--autopath");
  });

  it("passes --zones through to skydns", () => {
    expect(planPod({ ...config, zones: ["example.org", "corp.internal"] }).children.find((c) => c.name === "skydns")?.args).toContain("--zones=example.org,corp.internal");
    expect(planPod(config).children.find((c) => c.name === "skydns")?.args).toEqual(expect.not.arrayContaining([expect.stringMatching(/^--zones/)]));
  });

  it("leaves the upstream to skydns's resolv.conf default when no nameservers are given", () => {
    const skydns = planPod({ ...config, nameservers: [] }).children.find((c) => c.name === "skydns");
    expect(skydns?.args?.some((a) => a.startsWith("--nameservers"))).toBe(false);
  });
});
