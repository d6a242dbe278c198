import { createServer } from "node:net";
import { freePort } from "@kube-dns/etcd-process";

/** PodPorts are the TCP ports one launched pod listens on, all on 127.0.0.1 and all free when chosen. */
export interface PodPorts {
  /** The pod's etcd client port; its peer port is the next one. */
  readonly etcd: number;
  /** The local cluster's etcd client port; its peer port is the next one. */
  readonly clusterEtcd: number;
  readonly apiserver: number;
  readonly healthz: number;
  readonly readiness: number;
  readonly metrics: number;
}

/** choosePodPorts asks the kernel for free ports, the etcd ones with a free neighbour for the peer URL. */
export async function choosePodPorts(): Promise<PodPorts> {
  const taken = new Set<number>();
  const pick = async (withNeighbour: boolean): Promise<number> => {
    for (let attempt = 0; attempt < 50; attempt++) {
      const port = await freePort("127.0.0.1");
      if (taken.has(port) || taken.has(port + 1) || port >= 65535) continue;
      if (withNeighbour && !(await isFree(port + 1))) continue;
      taken.add(port);
      if (withNeighbour) taken.add(port + 1);
      return port;
    }
    throw new Error("no free port (with a free neighbour) after 50 attempts");
  };
  return { etcd: await pick(true), clusterEtcd: await pick(true), apiserver: await pick(false), healthz: await pick(false), readiness: await pick(false), metrics: await pick(false) };
}

function isFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.unref();
    server.once("error", () => resolve(false));
    server.listen(port, "127.0.0.1", () => server.close(() => resolve(true)));
  });
}
