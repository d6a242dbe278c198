import { connectEtcd } from "@kube-dns/etcd-feed";
import { startEtcd, type EtcdServer } from "@kube-dns/etcd-process";
import { createLogger } from "@kube-dns/log";
import type { Etcd3 } from "etcd3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AddressAllocator } from "../src/addresses/address-allocator.js";
import { formatIPv4, parseCidr, parseIPv4, staticBandSize } from "../src/addresses/cidr.js";
import { Registry } from "../src/registry/registry.js";
import { resourceByKind } from "../src/api/resources.js";
import { SERVICE_IP_CLAIMS } from "../src/registry/strategies/service-strategy.js";
import { ApiError } from "../src/api/status.js";
import { Storage } from "../src/storage/storage.js";

// 10.0.0.0/26: 62 assignable addresses, the first 16 (10.0.0.1 to 10.0.0.15) a static band left for last.
const RANGE = parseCidr("10.0.0.0/26");
const BAND = staticBandSize(RANGE);
const SERVICES = resourceByKind("Service");
// How long a test waits for a watch to show a claim: it takes milliseconds, the rest is room for a busy machine.
const WAIT = { timeout: 10_000 };

/** ApiServer is what one API server allocates through: its own etcd client, claim bitmap and registry. */
interface ApiServer {
  readonly client: Etcd3;
  readonly allocator: AddressAllocator;
  readonly registry: Registry;
}

async function apiServer(etcd: EtcdServer): Promise<ApiServer> {
  const client = connectEtcd({ endpoints: [etcd.clientUrl] });
  const allocator = new AddressAllocator({ client, log: createLogger("allocator-test", "silent"), claimPrefix: SERVICE_IP_CLAIMS, range: RANGE, reservedLow: BAND });
  await allocator.start();
  const registry = new Registry(new Storage(client), { serviceRange: RANGE, podRange: parseCidr("10.244.0.0/16"), serviceIPs: allocator, podIPs: { pick: () => undefined } });
  return { client, allocator, registry };
}

const createService = (server: ApiServer, name: string): Promise<string> =>
  server.registry.create(SERVICES, "default", { metadata: { name }, spec: { ports: [{ port: 80 }] } }).then((s) => String((s["spec"] as { clusterIP: string }).clusterIP));

describe("allocating cluster IPs from a bitmap of the claims, with two API servers on one etcd", () => {
  let etcd: EtcdServer;
  let servers: ApiServer[] = [];

  beforeAll(async () => {
    etcd = await startEtcd();
    servers = [await apiServer(etcd), await apiServer(etcd)];
    await servers[0]!.registry.create(resourceByKind("Namespace"), undefined, { metadata: { name: "default" } });
  });

  afterAll(async () => {
    for (const server of servers) {
      server.allocator.stop();
      server.client.close();
    }
    await etcd?.stop();
  });

  it("hands out every address once under concurrent creates through both, the static band last, then answers 500 range is full", async () => {
    const [a, b] = servers as [ApiServer, ApiServer];
    const upper = RANGE.size - 2 - (BAND - 1); // 10.0.0.16 to 10.0.0.62
    const first = await Promise.all(Array.from({ length: upper }, (_, i) => createService(i % 2 === 0 ? a : b, `upper-${i}`)));
    expect(new Set(first).size).toBe(upper);
    for (const ip of first) expect(parseIPv4(ip)).toBeGreaterThanOrEqual((parseIPv4("10.0.0.0") as number) + BAND);
    const band = await Promise.all(Array.from({ length: BAND - 1 }, (_, i) => createService(i % 2 === 0 ? b : a, `band-${i}`)));
    const all = [...first, ...band];
    expect(new Set(all).size).toBe(RANGE.size - 2);
    expect(new Set(all)).toEqual(new Set(Array.from({ length: RANGE.size - 2 }, (_, i) => formatIPv4(RANGE.base + 1 + i))));
    const claims = await a.client.getAll().prefix(SERVICE_IP_CLAIMS).keys();
    expect(claims.sort()).toEqual(all.map((ip) => SERVICE_IP_CLAIMS + ip).sort());
    // Once both watches have shown every claim, each server knows the range is full without asking etcd.
    await expect.poll(() => [a.allocator.pick(), b.allocator.pick()], WAIT).toEqual([undefined, undefined]);
    for (const server of [a, b]) {
      const full = await createService(server, "one-too-many").catch((error: unknown) => error);
      expect(full).toBeInstanceOf(ApiError);
      expect([(full as ApiError).code, (full as ApiError).message]).toEqual([500, `Internal error occurred: failed to allocate a serviceIP: range is full (${RANGE.text})`]);
    }
  });

  it("hands a released address out again once the watch shows the release", async () => {
    const [a, b] = servers as [ApiServer, ApiServer];
    const freed = (await a.registry.delete(SERVICES, "default", "band-0")).spec as { clusterIP: string };
    await expect.poll(() => createService(b, "reuse"), WAIT).toBe(freed.clusterIP);
  });
});
