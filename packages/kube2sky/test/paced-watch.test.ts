import { type DevApiServer, startDevApiServer } from "@kube-dns/dev-apiserver";
import { type EtcdServer, startEtcd } from "@kube-dns/etcd-process";
import { KubeConfig } from "@kubernetes/client-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { kubeConfigFor } from "../src/kube.js";
import { PacedWatch } from "../src/paced-watch.js";

let etcd: EtcdServer;
let api: DevApiServer;
beforeAll(async () => {
  etcd = await startEtcd();
  api = await startDevApiServer({ etcdUrl: etcd.clientUrl, logLevel: "silent" });
});
afterAll(async () => {
  await api?.stop();
  await etcd?.stop();
});

describe("PacedWatch", () => {
  it("asks the server for timeoutSeconds, so a watch ends and done is called", async () => {
    const watch = new PacedWatch(kubeConfigFor({ masterUrl: api.url }), { timeoutSeconds: 1, minGapMs: 0 });
    const events: string[] = [];
    const ended = new Promise<unknown>((resolve) => {
      void watch.watch("/api/v1/services", {}, (phase) => events.push(phase), resolve);
    });
    expect(await ended).toBeNull(); // a clean end, not an error
    expect(events).toContain("ADDED"); // the kubernetes service, as the watch started from the beginning
    watch.close();
  });

  it("does not start a watch that is still waiting for its turn when closed", async () => {
    const watch = new PacedWatch(kubeConfigFor({ masterUrl: api.url }), { timeoutSeconds: 60, minGapMs: 60_000 });
    let doneCalls = 0;
    const first = await watch.watch("/api/v1/services", {}, () => {}, () => doneCalls++);
    const second = watch.watch("/api/v1/services", {}, () => {}, () => doneCalls++);
    watch.close();
    await second; // resolves at close, not after the 60 s gap, and without opening a request
    expect(doneCalls).toBe(0);
    first.abort();
  });

  it("ends a watch with the error when it fails before its request, instead of rejecting", async () => {
    const config = new KubeConfig();
    // An exec credential plugin that fails: the library throws while building the request.
    config.loadFromClusterAndUser(
      { name: "dev", server: api.url, skipTLSVerify: true },
      { name: "broken", exec: { apiVersion: "client.authentication.k8s.io/v1", command: "false", args: [] } },
    );
    const watch = new PacedWatch(config, { timeoutSeconds: 60, minGapMs: 0 });
    let ended: unknown;
    await watch.watch("/api/v1/services", {}, () => {}, (err) => (ended = err)); // resolves, does not reject
    expect(ended).toBeInstanceOf(Error);
    watch.close();
  });
});
