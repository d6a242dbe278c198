import { describe, expect, it } from "vitest";
import { defaultConfig, parseFlags } from "./flags.js";

describe("parseFlags", () => {
  it("has v1.2's defaults", () => {
    expect(defaultConfig()).toEqual({
      domain: "cluster.local",
      etcdServer: "http://127.0.0.1:2379",
      etcdMutationTimeoutMs: 10_000,
      etcdMaxTxnOps: 100,
      etcdCaFile: undefined,
      etcdCertFile: undefined,
      etcdKeyFile: undefined,
      kubeMasterUrl: undefined,
      kubecfgFile: undefined,
      healthzPort: 8081,
      resyncPeriodMs: 1_800_000,
      pods: true,
      endpointsApi: "endpointslices",
      leaderElectTtlMs: 10_000,
      configMap: "kube-system/kube-dns",
      logLevel: "warn",
    });
    expect(Object.isFrozen(defaultConfig())).toBe(true);
  });

  it("reads flags, Go durations, and environment fallbacks; a flag beats its variable", () => {
    const config = parseFlags(
      ["--domain=example.org", "--etcd-mutation-timeout", "1m30s", "--pods", "--endpoints-api", "endpoints", "--resync-period=5s"],
      { KUBE2SKY_DOMAIN: "ignored.local", KUBE2SKY_HEALTHZ_PORT: "0", KUBE2SKY_KUBE_MASTER_URL: "http://127.0.0.1:8080" },
    );
    expect(config).toMatchObject({
      domain: "example.org",
      etcdMutationTimeoutMs: 90_000,
      pods: true,
      endpointsApi: "endpoints",
      resyncPeriodMs: 5000,
      healthzPort: 0,
      kubeMasterUrl: "http://127.0.0.1:8080",
    });
  });

  it("reads --pods as a switch or a boolean, from the flag or its variable", () => {
    expect(parseFlags(["--pods"], {}).pods).toBe(true);
    expect(parseFlags(["--pods=false"], {}).pods).toBe(false);
    expect(parseFlags([], { KUBE2SKY_PODS: "false" }).pods).toBe(false);
    expect(parseFlags([], { KUBE2SKY_PODS: "true" }).pods).toBe(true);
  });

  it("reads the transaction size from the flag or its variable", () => {
    expect(parseFlags(["--etcd-max-txn-ops=1000"], {}).etcdMaxTxnOps).toBe(1000);
    expect(parseFlags([], { KUBE2SKY_ETCD_MAX_TXN_OPS: "500" }).etcdMaxTxnOps).toBe(500);
  });

  it("reads the leader's lease as whole seconds", () => {
    expect(parseFlags(["--leader-elect-ttl=3s"], {}).leaderElectTtlMs).toBe(3000);
    expect(parseFlags([], { KUBE2SKY_LEADER_ELECT_TTL: "1m" }).leaderElectTtlMs).toBe(60_000);
  });

  it("reads the ConfigMap to mirror; empty watches none", () => {
    expect(parseFlags(["--config-map=dns/settings"], {}).configMap).toBe("dns/settings");
    expect(parseFlags(["--config-map="], {}).configMap).toBe("");
    // An empty variable is an unset one, as for every flag.
    expect(parseFlags([], { KUBE2SKY_CONFIG_MAP: "", KUBE2SKY_DOMAIN: "" }).configMap).toBe("kube-system/kube-dns");
    expect(parseFlags([], { KUBE2SKY_CONFIG_MAP: "dns/settings" }).configMap).toBe("dns/settings");
  });

  it.each([["--config-map=kube-dns"], ["--config-map=a/b/c"], ["--pods=maybe"], ["--etcd-mutation-timeout=10"], ["--healthz-port=70000"], ["--endpoints-api=v1"], ["--no-such-flag"], ["--leader-elect-ttl=1s"], ["--leader-elect-ttl=2500ms"], ["--etcd-max-txn-ops=5"], ["--etcd-max-txn-ops=1e3"]])("refuses %s", (flag) => {
    expect(() => parseFlags([flag], {})).toThrow();
  });
});
