import { writeFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { Etcd3 } from "etcd3";
import { CLAIMED_SCALE, freeServiceIps, type KeyValue, namespaceObject, scaleServices, storedObjects } from "./scale-cluster.js";

// Writes the scale cluster (CLAIMED_SCALE, or --services N) into the API server's etcd as the API server stores it,
// in seconds instead of the minutes that many creates take; everything that watches the API sees ordinary additions.
// Run by the container suite in its network namespace, where that etcd listens. Writes the services to --out (JSON).
//   node --conditions=source --import tsx e2e/harness/containers/seed-main.ts --etcd URL --out FILE [--services N]
const { values } = parseArgs({ options: { etcd: { type: "string" }, out: { type: "string" }, services: { type: "string" } } });
// etcd takes at most 128 operations in one transaction.
const OPS_PER_TXN = 120;

const spec = { ...CLAIMED_SCALE, services: Number(values.services ?? CLAIMED_SCALE.services) };
const client = new Etcd3({ hosts: values.etcd ?? "" });
try {
  const claims = await client.getAll().prefix("/registry/ranges/serviceips/").keys();
  const claimed = new Set(claims.map((key) => key.slice("/registry/ranges/serviceips/".length)));
  const services = scaleServices(spec, freeServiceIps(claimed));
  const namespaces = [...new Set(services.map((s) => s.namespace))].map(namespaceObject);
  let batch: KeyValue[] = [];
  const flush = async (): Promise<void> => {
    const success = batch.map(({ key, value }) => ({ request_put: { key: Buffer.from(key), value: Buffer.from(value) } }));
    if (success.length > 0) await client.kv.txn({ compare: [], success, failure: [] });
    batch = [];
  };
  for (const objects of [namespaces, ...services.map(storedObjects)]) {
    if (batch.length + objects.length > OPS_PER_TXN) await flush();
    batch.push(...objects);
  }
  await flush();
  writeFileSync(values.out ?? "/dev/stdout", JSON.stringify(services));
} finally {
  client.close();
}
