import { afterAll, beforeAll, describe, it } from "vitest";
import * as handler from "./coredns-handler.cases.js";
import { APEX, IGNORE_EMPTY, NOT_SYNCED, POD_DISABLED, POD_INSECURE, POD_VERIFIED, PRESERVE_CASE } from "./coredns-neighbours.cases.js";
import * as reverse from "./coredns-reverse.cases.js";
import { check, title, type PeerCase } from "./peer-case.js";
import { exchange, startPeerCluster, type PeerCluster } from "./peer-cluster.js";
import { startUpstreamStub, type UpstreamStub } from "./upstream-stub.js";
import { freePort } from "@kube-dns/etcd-process";
import { parseFlags, startSkyDNS } from "@kube-dns/skydns";

// CoreDNS's kubernetes plugin tests, each case run through the whole path: the mock cluster's objects in the dev API
// server's etcd, kube2sky's records, skydns's answer.

describe("CoreDNS plugin/kubernetes handler_test.go and neighbours, on its mock cluster", () => {
  let cluster: PeerCluster;
  let upstream: UpstreamStub;
  beforeAll(async () => {
    const { name, address } = handler.UPSTREAM;
    upstream = await startUpstreamStub({ [`${name} A`]: [{ name, type: "A", class: "IN", ttl: 5, data: address }] }, [name]);
    cluster = await startPeerCluster({ objects: handler.FIXTURE, upstream: upstream.address });
  }, 60_000);
  afterAll(async () => {
    await cluster?.stop();
    await upstream?.stop();
  });

  const run = (cases: readonly PeerCase[]): void => {
    it.each(cases.map((c) => [title(c), c] as const))("%s", async (_title, c) => check((name, type) => cluster.query(name, type), c, "exact"));
  };
  describe("handler_test.go", () => run(handler.CASES));
  describe("handler_pod_verified_test.go", () => run(POD_VERIFIED));
  describe("handler_pod_insecure_test.go", () => run(POD_INSECURE));
  describe("handler_case_test.go", () => run(PRESERVE_CASE));
  describe("handler_ignore_emptyservice_test.go", () => run(IGNORE_EMPTY));
  describe("kubernetes_apex_test.go", () => run(APEX));
  describe("handler_pod_disabled_test.go (kube2sky --pods=false)", () => {
    beforeAll(() => cluster.restartKube2sky(false), 30_000);
    run(POD_DISABLED);
  });
});

describe("CoreDNS plugin/kubernetes handler_test.go notSyncedTestCases, before the first read of etcd", () => {
  it.each(NOT_SYNCED.map((c) => [title(c), c] as const))("%s", async (_title, c) => {
    const nowhere = `http://127.0.0.1:${await freePort()}`;
    const skydns = await startSkyDNS(parseFlags(["--addr", "127.0.0.1:0", "--machines", nowhere, "--metrics-addr", "", "--no-rec", "--log-level", "silent"], {}));
    try {
      await check((name, type) => exchange(skydns.udpAddress.port, name, type), c, "exact");
    } finally {
      await skydns.stop();
    }
  });
});

describe("CoreDNS plugin/kubernetes reverse_test.go, on its mock cluster", () => {
  let cluster: PeerCluster;
  let upstream: UpstreamStub;
  beforeAll(async () => {
    upstream = await startUpstreamStub({});
    cluster = await startPeerCluster({ objects: reverse.FIXTURE, upstream: upstream.address });
  }, 60_000);
  afterAll(async () => {
    await cluster?.stop();
    await upstream?.stop();
  });
  it.each(reverse.CASES.map((c) => [title(c), c] as const))("%s", async (_title, c) => check((name, type) => cluster.query(name, type), c, "exact"));
});
