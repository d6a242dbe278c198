import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { startEtcd, type EtcdServer } from "@kube-dns/etcd-process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type DevApiServer, type KubeObject, startDevApiServer, storeObjects } from "../src/index.js";
import type { ApiBody } from "./harness.js";

const run = promisify(execFile);

// Enough services that /registry/services/ is well over gRPC's default 4 MiB message (about 6 MB here).
const COUNT = 10_500;
const NAMESPACE = "scale";
const PAGE = 500;

const nameOf = (i: number): string => `svc-${String(i).padStart(5, "0")}`;
// Spread over the /16 above its static band: 10.0.1.0 on, every fifth address.
const ipOf = (i: number): string => `10.0.${1 + Math.floor((i * 5) / 256)}.${(i * 5) % 256}`;

// A service as a client would have created it (the server stores it with its cluster IP claimed).
function service(i: number): KubeObject {
  const ip = ipOf(i);
  return {
    apiVersion: "v1",
    kind: "Service",
    metadata: { name: nameOf(i), namespace: NAMESPACE, labels: { app: nameOf(i), tier: "backend" } },
    spec: {
      ports: [{ name: "http", port: 80, protocol: "TCP", targetPort: 8080 }, { name: "https", port: 443, protocol: "TCP", targetPort: 8443 }],
      clusterIP: ip,
      clusterIPs: [ip],
      type: "ClusterIP",
      sessionAffinity: "None",
      ipFamilies: ["IPv4"],
      ipFamilyPolicy: "SingleStack",
      internalTrafficPolicy: "Cluster",
    },
    status: { loadBalancer: {} },
  };
}

// Straight into etcd (storeObjects, each service with its address claim): seconds, not minutes. Returns the bytes stored.
async function seed(etcdUrl: string): Promise<number> {
  const services = Array.from({ length: COUNT }, (_, i) => service(i));
  await storeObjects(etcdUrl, services);
  return services.reduce((bytes, s) => bytes + JSON.stringify(s).length, 0);
}

describe(`a cluster of ${COUNT} services written straight into etcd`, () => {
  let etcd: EtcdServer;
  let server: DevApiServer;
  const taken = new Set(Array.from({ length: COUNT }, (_, i) => ipOf(i)));

  const get = async (path: string): Promise<ApiBody> => {
    const response = await fetch(server.url + path);
    expect(response.status).toBe(200);
    return (await response.json()) as ApiBody;
  };

  beforeAll(async () => {
    etcd = await startEtcd();
    expect(await seed(etcd.clientUrl)).toBeGreaterThan(4 * 1024 * 1024);
    server = await startDevApiServer({ etcdUrl: etcd.clientUrl, logLevel: "silent" });
  });

  afterAll(async () => {
    await server?.stop();
    await etcd?.stop();
  });

  it("starts, and an unpaged list returns every service in one response, as kubectl --chunk-size=0 asks", async () => {
    const all = await get("/api/v1/services");
    const names = (all.items ?? []).map((s) => `${String((s.metadata as { namespace?: string }).namespace)}/${s.metadata?.name ?? ""}`);
    expect(names).toHaveLength(COUNT + 1);
    expect(new Set(names).size).toBe(COUNT + 1);
    expect(all.metadata?.continue).toBeUndefined();
    const { stdout } = await run("kubectl", ["get", "services", "-A", "--chunk-size=0", "-o", "name"], { env: { ...process.env, KUBECONFIG: server.kubeconfigPath }, timeout: 30_000, maxBuffer: 16 * 1024 * 1024 });
    expect(stdout.trim().split("\n")).toHaveLength(COUNT + 1);
  });

  it(`returns every service exactly once through limit=${PAGE} and continue, at one resourceVersion`, async () => {
    const names: string[] = [];
    const versions = new Set<string | undefined>();
    let token: string | undefined;
    do {
      const page = await get(`/api/v1/namespaces/${NAMESPACE}/services?limit=${PAGE}${token === undefined ? "" : `&continue=${encodeURIComponent(token)}`}`);
      expect(page.items?.length).toBeLessThanOrEqual(PAGE);
      names.push(...(page.items ?? []).map((s) => s.metadata?.name ?? ""));
      versions.add(page.metadata?.resourceVersion);
      token = page.metadata?.continue;
    } while (token !== undefined && names.length <= COUNT);
    expect(names).toEqual(Array.from({ length: COUNT }, (_, i) => nameOf(i)));
    expect(versions.size).toBe(1);
  });

  it("creates services with free cluster IPs of the /16, above its static band, none taken", async () => {
    const created = await Promise.all(
      Array.from({ length: 20 }, async (_, i) => {
        const response = await fetch(`${server.url}/api/v1/namespaces/${NAMESPACE}/services`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ metadata: { name: `new-${i}` }, spec: { ports: [{ port: 80 }] } }),
        });
        expect(response.status).toBe(201);
        return ((await response.json()) as ApiBody).spec?.["clusterIP"] as string;
      }),
    );
    expect(new Set(created).size).toBe(created.length);
    for (const ip of created) {
      expect(ip).toMatch(/^10\.0\.([1-9]\d*)\.\d+$/);
      expect(taken.has(ip)).toBe(false);
    }
  });
});
