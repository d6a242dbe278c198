import { createSocket } from "node:dgram";
import { randomInt } from "node:crypto";
import { createServer } from "node:net";
import { freePort } from "@kube-dns/etcd-process";

/** PodPorts are the TCP ports one launched pod listens on, all on 127.0.0.1 and all free when chosen. */
export interface PodPorts {
  /** The pod's etcd client port; its peer port is the next one (with several members, each member takes the next two). */
  readonly etcd: number;
  /** The local cluster's etcd client port; its peer port is the next one. */
  readonly clusterEtcd: number;
  readonly apiserver: number;
  readonly healthz: number;
  readonly readiness: number;
  readonly metrics: number;
  /** The launcher's status page (`kube-dns up --status-port`), when the test asks for it. */
  readonly status: number;
}

/**
 * choosePodPorts asks the kernel for free ports, the etcd ones with free neighbours for the peer URL (and for the
 * other members of an etcd of etcdMembers: `kube-dns up --etcd-members`).
 */
export async function choosePodPorts(etcdMembers = 1): Promise<PodPorts> {
  const taken = new Set<number>();
  const pick = async (neighbours: number): Promise<number> => {
    for (let attempt = 0; attempt < 50; attempt++) {
      const port = await freePort("127.0.0.1");
      const run = Array.from({ length: neighbours + 1 }, (_, i) => port + i);
      if (run.some((p) => taken.has(p)) || port + neighbours > 65535) continue;
      if (!(await allFree(run.slice(1)))) continue;
      for (const p of run) taken.add(p);
      return port;
    }
    throw new Error(`no free port (with ${neighbours} free neighbours) after 50 attempts`);
  };
  return { etcd: await pick(2 * etcdMembers - 1), clusterEtcd: await pick(1), apiserver: await pick(0), healthz: await pick(0), readiness: await pick(0), metrics: await pick(0), status: await pick(0) };
}

async function allFree(ports: readonly number[]): Promise<boolean> {
  for (const port of ports) if (!(await isFree(port))) return false;
  return true;
}

function isFree(port: number): Promise<boolean> {
  return tcpFree("127.0.0.1", port);
}

/**
 * freeLoopbackAddress picks a random address of 127.0.0.0/8 whose port 53 is free for UDP and TCP (and that is not
 * in `avoid`): resolv.conf has no port, so each pod under test needs port 53 of an address of its own, and two test
 * runs on one machine must not pick the same one. 127.0.0.0/16 is left to the machine (127.0.0.1, 127.0.0.53).
 */
export async function freeLoopbackAddress(avoid: readonly string[] = []): Promise<string> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const address = `127.${randomInt(1, 255)}.${randomInt(0, 256)}.${randomInt(1, 255)}`;
    if (avoid.includes(address)) continue;
    if ((await udpFree(address, 53)) && (await tcpFree(address, 53))) return address;
  }
  throw new Error("no loopback address with a free port 53 after 50 attempts");
}

function udpFree(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createSocket("udp4");
    socket.once("error", () => {
      socket.close();
      resolve(false);
    });
    socket.bind(port, host, () => socket.close(() => resolve(true)));
  });
}

function tcpFree(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.unref();
    server.once("error", () => resolve(false));
    server.listen(port, host, () => server.close(() => resolve(true)));
  });
}
