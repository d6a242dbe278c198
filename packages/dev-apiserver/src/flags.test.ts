import { describe, expect, it } from "vitest";
import { CommanderError } from "commander";
import { parseFlags } from "./flags.js";

const argv = (...args: string[]): string[] => args;

describe("parseFlags", () => {
  it("defaults to loopback, a free port and the v1.2 service range", () => {
    const flags = parseFlags(argv(), {});
    expect(flags).toMatchObject({
      bindAddress: "127.0.0.1",
      port: 0,
      etcdServers: "http://127.0.0.1:2379",
      serviceClusterIPRange: "10.0.0.0/16",
      podCidr: "10.244.0.0/16",
      kubeconfigOut: undefined,
      token: undefined,
      bookmarkIntervalMs: 60_000,
      logLevel: "warn",
    });
    expect(Object.isFrozen(flags)).toBe(true);
  });

  it("reads every flag and the aliases --port and --pod-ip-range", () => {
    const flags = parseFlags(
      argv("--bind-address", "::1", "--port", "6443", "--etcd-servers", "http://127.0.0.1:4001", "--service-cluster-ip-range", "10.1.0.0/16",
        "--pod-ip-range", "10.2.0.0/16", "--kubeconfig-out", "/tmp/k", "--token", "s3cret", "--bookmark-interval", "5s", "--log-level", "info"),
      {},
    );
    expect(flags).toEqual({
      bindAddress: "::1",
      port: 6443,
      etcdServers: "http://127.0.0.1:4001",
      serviceClusterIPRange: "10.1.0.0/16",
      podCidr: "10.2.0.0/16",
      kubeconfigOut: "/tmp/k",
      token: "s3cret",
      bookmarkIntervalMs: 5000,
      logLevel: "info",
    });
  });

  it("reads DEV_APISERVER_* from the environment it is given, flags winning", () => {
    const env = { DEV_APISERVER_ETCD_SERVERS: "http://127.0.0.1:4001", DEV_APISERVER_TOKEN: "t", DEV_APISERVER_SECURE_PORT: "7443" };
    expect(parseFlags(argv("--secure-port", "8443"), env)).toMatchObject({ etcdServers: "http://127.0.0.1:4001", token: "t", port: 8443 });
  });

  it.each([
    ["--secure-port", "70000", /invalid port/],
    ["--service-cluster-ip-range", "10.0.0.1/24", /host bits are set/],
    ["--pod-cidr", "nope", /invalid CIDR/],
    ["--log-level", "loud", /Allowed choices/],
    ["--bookmark-interval", "0", /more than 0/],
  ])("refuses %s %s with a usage error (exit code 1)", (name, value, message) => {
    let caught: unknown;
    try {
      parseFlags(argv(name, value), {});
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(CommanderError);
    expect((caught as CommanderError).exitCode).toBe(1);
    expect((caught as CommanderError).message).toMatch(message);
  });
});
