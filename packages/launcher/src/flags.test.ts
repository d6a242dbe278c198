import { resolve } from "node:path";
import { CommanderError } from "commander";
import { describe, expect, it } from "vitest";
import { kubeconfigFor, parseCommandLine } from "./flags.js";

const argv = (...args: string[]): string[] => args;

describe("parseCommandLine", () => {
  it("reads doctor with its defaults: tree's etcd, up's DNS address, a 2 s settle", () => {
    expect(parseCommandLine(argv("doctor"), {})).toMatchObject({
      command: "doctor", etcdServer: "http://127.0.0.1:2379", prefix: "/skydns", dnsHost: "127.0.0.1", dnsPort: 53, domain: "cluster.local",
      endpointsApi: "endpointslices", pods: true, settleMs: 2000, timeoutMs: 5000, json: false, kubeconfig: resolve(".kube-dns/kubeconfig"),
    });
    expect(parseCommandLine(argv("doctor", "--settle=0", "--json", "--dns-addr=127.0.0.9:1053"), {})).toMatchObject({ settleMs: 0, json: true, dnsHost: "127.0.0.9", dnsPort: 1053 });
  });


  it("reads tree with its defaults", () => {
    expect(parseCommandLine(argv("tree"), {})).toEqual({ command: "tree", logLevel: "warn", etcdServer: "http://127.0.0.1:2379", prefix: "/skydns", timeoutMs: 5000 });
  });

  it("reads tree's flags, and a flag wins over its KUBE_DNS_* variable", () => {
    const env = { KUBE_DNS_ETCD_SERVER: "http://127.0.0.1:4001", KUBE_DNS_PREFIX: "/other" };
    expect(parseCommandLine(argv("--log-level", "info", "tree", "--prefix", "/skydns/", "--timeout", "1s"), env)).toEqual({
      command: "tree",
      logLevel: "info",
      etcdServer: "http://127.0.0.1:4001",
      prefix: "/skydns",
      timeoutMs: 1000,
    });
  });

  it("reads up with the defaults of the manifest's ports", () => {
    const config = parseCommandLine(argv("up"), {});
    expect(config).toMatchObject({ command: "up", logLevel: "warn", domain: "cluster.local", dnsHost: "127.0.0.1", dnsPort: 53, nameservers: [], etcdPort: 2379, healthzPort: 8080, readinessPort: 8081, kubeconfig: undefined, fromSource: false });
  });

  it("reads up's addresses and lists", () => {
    const config = parseCommandLine(argv("up", "--dns-addr", "127.0.0.10:53", "--nameservers", "127.0.0.1:5301,127.0.0.1:5302", "--kubeconfig", "k.yaml", "--from-source"), {});
    expect(config).toMatchObject({ dnsHost: "127.0.0.10", dnsPort: 53, nameservers: ["127.0.0.1:5301", "127.0.0.1:5302"], fromSource: true });
    expect(parseCommandLine(argv("up", "--zones", "example.org,corp.internal"), {})).toMatchObject({ zones: ["example.org", "corp.internal"] });
    expect(parseCommandLine(argv("up"), { KUBE_DNS_ZONES: "example.org" })).toMatchObject({ zones: ["example.org"] });
    expect(config.command === "up" && config.kubeconfig?.endsWith("/k.yaml")).toBe(true);
  });

  it("reads up's etcd members, one by default", () => {
    expect(parseCommandLine(argv("up"), {})).toMatchObject({ etcdMembers: 1 });
    expect(parseCommandLine(argv("up", "--etcd-members", "3"), {})).toMatchObject({ etcdMembers: 3 });
    expect(parseCommandLine(argv("up"), { KUBE_DNS_ETCD_MEMBERS: "5" })).toMatchObject({ etcdMembers: 5 });
  });

  it("reads up's booleans as Go does, from the command line or KUBE_DNS_*", () => {
    expect(parseCommandLine(argv("up", "-query-log=false"), { KUBE_DNS_QUERY_LOG: "true", KUBE_DNS_FROM_SOURCE: "t" })).toMatchObject({ queryLog: false, fromSource: true });
  });

  it.each([[["tree", "--prefix", "skydns"]], [["tree", "--timeout", "0"]], [["up", "--etcd-members", "0"]], [["up", "--etcd-members", "two"]], [["down"]], [[]]])("refuses %j", (args) => {
    expect(() => parseCommandLine(argv(...args), {})).toThrow(CommanderError);
  });
});

describe("kubeconfigFor", () => {
  it("takes the flag, else $KUBECONFIG's first file, else the service account in a pod, else up's local kubeconfig", () => {
    expect(kubeconfigFor("/a/k.yaml", { KUBECONFIG: "/b" })).toBe("/a/k.yaml");
    expect(kubeconfigFor(undefined, { KUBECONFIG: ":/b:/c", KUBERNETES_SERVICE_HOST: "10.0.0.1" })).toBe("/b");
    expect(kubeconfigFor(undefined, { KUBERNETES_SERVICE_HOST: "10.0.0.1" })).toBeUndefined();
    expect(kubeconfigFor(undefined, {})).toBe(resolve(".kube-dns/kubeconfig"));
  });
});
