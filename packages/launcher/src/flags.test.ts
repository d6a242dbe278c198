import { resolve } from "node:path";
import { CommanderError } from "commander";
import { describe, expect, it } from "vitest";
import { kubeconfigFor, LOCAL_KUBECONFIG, parseCommandLine } from "./flags.js";

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

  it("reads up's restart back-off, the kubelet's 10s by default", () => {
    expect(parseCommandLine(argv("up"), {})).toMatchObject({ restartBackoffMs: 10_000 });
    expect(parseCommandLine(argv("up", "--restart-backoff", "1s"), {})).toMatchObject({ restartBackoffMs: 1000 });
    expect(parseCommandLine(argv("up"), { KUBE_DNS_RESTART_BACKOFF: "250ms" })).toMatchObject({ restartBackoffMs: 250 });
  });

  it("reads up's booleans as Go does, from the command line or KUBE_DNS_*", () => {
    expect(parseCommandLine(argv("up", "-query-log=false"), { KUBE_DNS_QUERY_LOG: "true", KUBE_DNS_FROM_SOURCE: "t" })).toMatchObject({ queryLog: false, fromSource: true, autopath: false });
    expect(parseCommandLine(argv("up", "--autopath"), {})).toMatchObject({ autopath: true });
    expect(parseCommandLine(argv("up"), { KUBE_DNS_AUTOPATH: "true" })).toMatchObject({ autopath: true });
  });

  it("reads explain with the defaults up and tree have", () => {
    expect(parseCommandLine(argv("explain", "my-nginx"), {})).toEqual({
      command: "explain", logLevel: "warn", rawName: "my-nginx", namespace: "default", type: "A", client: "glibc", domain: "cluster.local",
      dnsHost: "127.0.0.1", dnsPort: 53, etcdServer: "http://127.0.0.1:2379", etcdCaFile: undefined, etcdCertFile: undefined, etcdKeyFile: undefined,
      prefix: "/skydns", kubeconfig: undefined, timeoutMs: 5000, json: false,
    });
  });

  it("reads explain's flags, and its KUBE_DNS_* variables", () => {
    const env = { KUBE_DNS_NAMESPACE: "shop", KUBE_DNS_DNS_ADDR: "127.0.0.10:53", KUBE_DNS_JSON: "true" };
    expect(parseCommandLine(argv("explain", "cart.", "--type", "srv", "--client", "glibc", "--timeout", "1s"), env)).toMatchObject({
      rawName: "cart.", namespace: "shop", type: "SRV", dnsHost: "127.0.0.10", dnsPort: 53, json: true, timeoutMs: 1000,
    });
    expect(parseCommandLine(argv("explain", "web", "--client", "nslookup"), {})).toMatchObject({ client: "nslookup", type: "A" });
  });

  it.each([
    [["explain"], {}], [["explain", "web", "--type", "BOGUS"], {}], [["explain", "web", "--client", "dig"], {}],
    [["explain", "web", "--client", "getent", "--type", "AAAA"], {}], [["explain", "web"], { KUBE_DNS_CLIENT: "dig" }],
  ])(
    "refuses explain %j %j with exit status 2",
    (args, env) => {
      const error = (() => {
        try {
          parseCommandLine(argv(...args), env);
        } catch (caught) {
          return caught;
        }
        return undefined;
      })();
      expect(error).toBeInstanceOf(CommanderError);
      expect((error as CommanderError).exitCode).toBe(2);
    },
  );

  it("reads up's status page port, 8090 by default and 0 for none", () => {
    expect(parseCommandLine(argv("up"), {})).toMatchObject({ statusPort: 8090 });
    expect(parseCommandLine(argv("up"), { KUBE_DNS_STATUS_PORT: "0" })).toMatchObject({ statusPort: 0 });
  });

  it("reads status with the defaults of up, and the ports to probe", () => {
    expect(parseCommandLine(argv("status"), {})).toEqual({
      command: "status", logLevel: "warn", dnsHost: "127.0.0.1", dnsPort: 53, etcdServer: "http://127.0.0.1:2379", kubeconfig: resolve(LOCAL_KUBECONFIG),
      healthzPort: 8080, readinessPort: 8081, metricsPort: 9153, statusPort: 8090,
    });
    expect(parseCommandLine(argv("status", "--dns-addr", "127.0.0.9:5353", "--metrics-port", "9999", "--status-port", "0"), {})).toMatchObject({ dnsHost: "127.0.0.9", dnsPort: 5353, metricsPort: 9999, statusPort: 0 });
  });

  it.each([[["status", "--status-port", "http"]], [["tree", "--prefix", "skydns"]], [["tree", "--timeout", "0"]], [["up", "--etcd-members", "0"]], [["up", "--etcd-members", "two"]], [["down"]], [[]]])("refuses %j", (args) => {
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
