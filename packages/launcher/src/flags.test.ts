import { CommanderError } from "commander";
import { afterEach, describe, expect, it, vi } from "vitest";
import { parseCommandLine } from "./flags.js";

const argv = (...args: string[]): string[] => ["node", "kube-dns", ...args];

describe("parseCommandLine", () => {
  afterEach(() => {
    vi.unstubAllEnvs();
  });

  it("reads tree with its defaults", () => {
    expect(parseCommandLine(argv("tree"))).toEqual({ command: "tree", logLevel: "warn", etcdServer: "http://127.0.0.1:2379", prefix: "/skydns", timeoutMs: 5000 });
  });

  it("reads tree's flags, and a flag wins over its KUBE_DNS_* variable", () => {
    vi.stubEnv("KUBE_DNS_ETCD_SERVER", "http://127.0.0.1:4001");
    vi.stubEnv("KUBE_DNS_PREFIX", "/other");
    expect(parseCommandLine(argv("--log-level", "info", "tree", "--prefix", "/skydns/", "--timeout", "1s"))).toEqual({
      command: "tree",
      logLevel: "info",
      etcdServer: "http://127.0.0.1:4001",
      prefix: "/skydns",
      timeoutMs: 1000,
    });
  });

  it("reads up with the defaults of the manifest's ports", () => {
    const config = parseCommandLine(argv("up"));
    expect(config).toMatchObject({ command: "up", logLevel: "warn", domain: "cluster.local", dnsHost: "127.0.0.1", dnsPort: 53, nameservers: [], etcdPort: 2379, healthzPort: 8080, readinessPort: 8081, kubeconfig: undefined, fromSource: false });
  });

  it("reads up's addresses and lists", () => {
    const config = parseCommandLine(argv("up", "--dns-addr", "127.0.0.10:53", "--nameservers", "127.0.0.1:5301,127.0.0.1:5302", "--kubeconfig", "k.yaml", "--from-source"));
    expect(config).toMatchObject({ dnsHost: "127.0.0.10", dnsPort: 53, nameservers: ["127.0.0.1:5301", "127.0.0.1:5302"], fromSource: true });
    expect(config.command === "up" && config.kubeconfig?.endsWith("/k.yaml")).toBe(true);
  });

  it.each([[["tree", "--prefix", "skydns"]], [["tree", "--timeout", "0"]], [["down"]], [[]]])("refuses %j", (args) => {
    expect(() => parseCommandLine(argv(...args))).toThrow(CommanderError);
  });
});
