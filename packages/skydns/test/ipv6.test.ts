import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEtcd, type EtcdServer } from "@kube-dns/etcd-process";
import { Etcd3 } from "etcd3";
import type { SkyDNS } from "../src/index.js";
import { dig, rdata } from "./dig.js";
import { clusterIpService, putAll } from "./fixture.js";
import { startOn } from "./harness.js";

let etcd: EtcdServer;
let skydns: SkyDNS;

beforeAll(async () => {
  etcd = await startEtcd();
  const client = new Etcd3({ hosts: etcd.clientUrl });
  await putAll(client, clusterIpService("default", "kubernetes", "10.0.0.1"));
  client.close();
  skydns = await startOn(etcd.clientUrl, ["--addr", "[::1]:0", "--no-rec"]);
  await skydns.ready();
});

afterAll(async () => {
  await skydns?.stop();
  await etcd?.stop();
});

describe("on an IPv6 address", () => {
  it.each([["+noedns"], ["+tcp"]])("answers over %s on ::1", async (mode) => {
    expect(rdata((await dig(skydns.udpAddress.port, [mode, "kubernetes.default.svc.cluster.local", "A"], "::1")).answer)).toEqual(["10.0.0.1"]);
  });

  it("gives the listen address as the NS glue", async () => {
    const result = await dig(skydns.udpAddress.port, ["cluster.local", "NS"], "::1");
    expect(result.additional).toEqual(["ns.dns.cluster.local. 30 IN AAAA ::1"]);
  });
});
