import { randomUUID } from "node:crypto";
import { connectEtcd } from "@kube-dns/etcd-feed";
import { keyFor, resourceByKind } from "../api/resources.js";
import type { KubeObject } from "../api/types.js";
import { strategyFor } from "../registry/strategies/strategies.js";
import { encode } from "./value.js";

// etcd takes at most 128 operations in one transaction; an object and its address claim travel together.
const OPS_PER_TXN = 100;
const TXNS_IN_FLIGHT = 8;

/**
 * storeObjects writes API objects straight into this server's etcd as the server stores them: each at its key, with
 * the address claims its kind keeps (a service's cluster IP), in transactions of up to 100 operations, several in
 * flight. Objects get a uid and creation time when they lack them, and each namespace they name is created when
 * missing. It is how a test or a benchmark makes a cluster of 100,000 services in seconds instead of the minutes
 * as many creates take; the server (and every client watching it) sees them as it sees any other object.
 */
export async function storeObjects(etcdUrl: string, objects: readonly KubeObject[]): Promise<void> {
  const client = connectEtcd({ endpoints: etcdUrl.split(",") });
  try {
    const created = new Date().toISOString().replace(/\.\d+Z$/, "Z");
    const namespaces = new Set(objects.flatMap((object) => (object.metadata.namespace ? [object.metadata.namespace] : [])));
    for (const namespace of namespaces) {
      const key = keyFor(resourceByKind("Namespace"), undefined, namespace);
      const object: KubeObject = { apiVersion: "v1", kind: "Namespace", metadata: { name: namespace, uid: randomUUID(), creationTimestamp: created }, spec: { finalizers: ["kubernetes"] }, status: { phase: "Active" } };
      // Created only when missing, so an existing namespace keeps its own uid.
      await client.kv.txn({ compare: [{ key: Buffer.from(key), target: "Version", result: "Equal", version: 0 }], success: [{ request_put: { key: Buffer.from(key), value: encode(object) } }], failure: [] });
    }
    const batches: Array<Array<{ request_put: { key: Buffer; value: Buffer } }>> = [[]];
    for (const object of objects) {
      const resource = resourceByKind(object.kind ?? "");
      const key = keyFor(resource, object.metadata.namespace, object.metadata.name ?? "");
      const stamped: KubeObject = { ...object, metadata: { uid: randomUUID(), creationTimestamp: created, ...object.metadata } };
      const ops = [{ request_put: { key: Buffer.from(key), value: encode(stamped) } }];
      for (const claim of strategyFor(resource).releases(stamped)) ops.push({ request_put: { key: Buffer.from(claim), value: Buffer.from(key) } });
      if (batches.at(-1)!.length + ops.length > OPS_PER_TXN) batches.push([]);
      batches.at(-1)!.push(...ops);
    }
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < batches.length) await client.kv.txn({ compare: [], success: batches[next++]!, failure: [] });
    };
    await Promise.all(Array.from({ length: TXNS_IN_FLIGHT }, worker));
  } finally {
    client.close();
  }
}
