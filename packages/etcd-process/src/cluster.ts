import { randomBytes } from "node:crypto";
import { freePort } from "./ports.js";
import { askJson } from "./probe.js";
import { type EtcdServer, startEtcd } from "./server.js";
import type { EtcdTls } from "./tls.js";

/** EtcdClusterOptions size a cluster of etcd members on loopback. */
export interface EtcdClusterOptions {
  /** How many members; 3 by default (one may fail and the rest keep a quorum). */
  readonly size?: number;
  readonly binary?: string;
  /** How long each member may take to say it is healthy (which needs a quorum, so all start together). */
  readonly readyTimeoutMs?: number;
  /** Serve clients over TLS, every member with the same certificate; plain HTTP when omitted. */
  readonly tls?: EtcdTls;
}

/** EtcdCluster is a running cluster: its members, and which one leads. */
export interface EtcdCluster {
  readonly members: readonly EtcdServer[];
  /** Every member's client URL, for a client that follows the cluster. */
  readonly clientUrls: readonly string[];
  /** leader finds the member that leads now (asking the running members); it throws when none does. */
  leader(): Promise<EtcdServer>;
  /** stop stops every member and removes their data. */
  stop(): Promise<void>;
}

/**
 * startEtcdCluster starts an N-member etcd cluster on loopback: free client and peer ports, a temporary data dir per
 * member, all members started at once (each needs the others for a quorum) and resolved once every one is healthy.
 * Each member can be halted and started again (kill the leader, bring it back) like a single server. With `tls`, every
 * member serves its clients over TLS (peers stay plain HTTP on loopback).
 */
export async function startEtcdCluster(options: EtcdClusterOptions = {}): Promise<EtcdCluster> {
  const size = options.size ?? 3;
  if (!Number.isInteger(size) || size < 1) throw new Error(`an etcd cluster needs at least one member, not ${size}`);
  const token = `kube-dns-${randomBytes(4).toString("hex")}`;
  const taken = new Set<number>();
  const port = async (): Promise<number> => {
    for (;;) {
      const candidate = await freePort();
      if (!taken.has(candidate)) {
        taken.add(candidate);
        return candidate;
      }
    }
  };
  const places: Array<{ name: string; clientPort: number; peerPort: number }> = [];
  for (let i = 1; i <= size; i++) places.push({ name: `member-${i}`, clientPort: await port(), peerPort: await port() });
  const initialCluster = places.map((p) => `${p.name}=http://127.0.0.1:${p.peerPort}`).join(",");
  const started = await Promise.allSettled(
    places.map((place) =>
      startEtcd({
        clientPort: place.clientPort,
        peerPort: place.peerPort,
        binary: options.binary,
        readyTimeoutMs: options.readyTimeoutMs ?? 30_000,
        member: { name: place.name, initialCluster, token },
        ...(options.tls === undefined ? {} : { tls: options.tls }),
      }),
    ),
  );
  const members = started.flatMap((result) => (result.status === "fulfilled" ? [result.value] : []));
  const failure = started.find((result): result is PromiseRejectedResult => result.status === "rejected");
  if (failure !== undefined) {
    await Promise.all(members.map((member) => member.stop()));
    throw failure.reason;
  }
  return {
    members,
    clientUrls: members.map((member) => member.clientUrl),
    leader: () => leaderOf(members),
    async stop() {
      await Promise.all(members.map((member) => member.stop()));
    },
  };
}

// Asks each member that answers for its own id and the leader's (the v3 API's JSON gateway: no client library needed).
async function leaderOf(members: readonly EtcdServer[]): Promise<EtcdServer> {
  for (const member of members) {
    try {
      const status = (await askJson(`${member.clientUrl}/v3/maintenance/status`, member.tls, 1000, "{}")) as { header?: { member_id?: string }; leader?: string };
      if (status.leader !== undefined && status.leader !== "0" && status.header?.member_id === status.leader) return member;
    } catch {
      // halted or unreachable: ask the next one
    }
  }
  throw new Error("no member of the etcd cluster says it leads");
}
