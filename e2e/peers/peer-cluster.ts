import { createSocket } from "node:dgram";
import { type KubeObject, startDevApiServer, storeObjects } from "@kube-dns/dev-apiserver";
import { startEtcd } from "@kube-dns/etcd-process";
import { startKube2sky, type Kube2sky } from "@kube-dns/kube2sky";
import { parseFlags, startSkyDNS, type SkyDNS } from "@kube-dns/skydns";
import dnsPacket, { type Answer, type DecodedPacket, type RecordType } from "dns-packet";
import { Etcd3 } from "etcd3";

/** PeerClusterOptions set up the cluster a peer's fixture describes. */
export interface PeerClusterOptions {
  /** The API objects of the fixture, stored as the API server stores them before anything lists them. */
  readonly objects: readonly KubeObject[];
  /** The dev API server's service range (its first address is the `kubernetes` service's). */
  readonly serviceRange?: string;
  /** skydns's upstream (`HOST:PORT`); none means --no-rec. */
  readonly upstream?: string;
}

/** PeerCluster is the whole path a peer's fixture goes through: API objects -> kube2sky -> etcd -> skydns. */
export interface PeerCluster {
  /** query asks skydns one question over UDP, without EDNS, and decodes the reply. */
  query(name: string, type: RecordType): Promise<DecodedPacket>;
  /** restartKube2sky stops kube2sky and starts it again with pods on or off, then waits until skydns serves its writes. */
  restartKube2sky(pods: boolean): Promise<void>;
  stop(): Promise<void>;
}

/**
 * startPeerCluster runs one etcd (the API server's /registry and kube2sky's /skydns side by side), the dev API server,
 * kube2sky and skydns in this process, with the fixture's objects stored straight into etcd (storeObjects), so that
 * what a peer's mock describes (two services on one cluster IP, say) needs no API validation to exist. It resolves
 * once skydns serves everything kube2sky's first sync wrote.
 */
export async function startPeerCluster(options: PeerClusterOptions): Promise<PeerCluster> {
  const etcd = await startEtcd();
  const client = new Etcd3({ hosts: etcd.clientUrl });
  const api = await startDevApiServer({ etcdUrl: etcd.clientUrl, serviceRange: options.serviceRange ?? "10.96.0.0/16", logLevel: "silent" });
  // One object at a time: a mock may give two services one cluster IP, whose address claims cannot share a transaction.
  for (const object of options.objects) await storeObjects(etcd.clientUrl, [object]);
  let kube2sky: Kube2sky | undefined;
  let skydns: SkyDNS | undefined;
  const startWriter = async (pods: boolean): Promise<void> => {
    kube2sky = await startKube2sky({ kubeMasterUrl: api.url, etcdServer: etcd.clientUrl, healthzPort: 0, healthzHost: "127.0.0.1", logLevel: "silent", pods });
    await kube2sky.ready;
  };
  const caughtUp = async (): Promise<void> => {
    const revision = Number((await client.get("/skydns/").exec()).header.revision);
    await skydns?.waitForRevision(revision);
  };
  try {
    await startWriter(true);
    const upstream = options.upstream === undefined ? ["--no-rec"] : ["--nameservers", options.upstream];
    const flags = ["--addr", "127.0.0.1:0", "--machines", etcd.clientUrl, "--metrics-addr", "", "--ns-address", "127.0.0.1", "--log-level", "silent", ...upstream];
    skydns = await startSkyDNS(parseFlags(flags, {}));
    await skydns.ready();
    await caughtUp();
  } catch (error) {
    await Promise.allSettled([skydns?.stop(), kube2sky?.stop(), api.stop()]);
    client.close();
    await etcd.stop();
    throw error;
  }
  const port = skydns.udpAddress.port;
  return {
    query: (name, type) => exchange(port, name, type),
    async restartKube2sky(pods) {
      await kube2sky?.stop();
      await startWriter(pods);
      await caughtUp();
    },
    async stop() {
      await Promise.allSettled([skydns?.stop(), kube2sky?.stop()]);
      await api.stop();
      client.close();
      await etcd.stop();
    },
  };
}

/**
 * exchange sends one question over UDP to a loopback server and decodes its reply (one try, two seconds). The query
 * offers EDNS0 with 4096 bytes, so that a reply is never cut to 512 (the peers' tests call their handlers directly).
 */
export function exchange(port: number, name: string, type: RecordType): Promise<DecodedPacket> {
  const id = Math.floor(Math.random() * 0x10000);
  const opt = { name: ".", type: "OPT", udpPayloadSize: 4096, flags: 0, options: [] } as unknown as Answer;
  const query = dnsPacket.encode({ id, flags: dnsPacket.RECURSION_DESIRED, questions: [{ name, type, class: "IN" }], additionals: [opt] });
  const socket = createSocket("udp4");
  return new Promise<DecodedPacket>((resolve, reject) => {
    const timer = setTimeout(() => {
      socket.close();
      reject(new Error(`no reply to ${name} ${type} within 2 s`));
    }, 2000);
    socket.on("message", (msg) => {
      const reply = dnsPacket.decode(msg);
      if (reply.id !== id) return;
      clearTimeout(timer);
      socket.close();
      resolve(reply);
    });
    socket.send(query, port, "127.0.0.1");
  });
}
