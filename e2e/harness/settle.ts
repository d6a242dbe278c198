import type { Etcd3 } from "etcd3";
import { answersTheApiSays, differences, recordsInEtcd, recordsTheApiSays } from "./api-records.js";
import type { Churn } from "./churn.js";
import { type Mismatch, sweep } from "./dns-sweep.js";
import { eventually } from "./poll.js";

/** DnsServer is one skydns to hold to what the API says. */
export interface DnsServer {
  readonly name: string;
  readonly host: string;
  readonly port: number;
}

/** Settled is how etcd and the DNS servers stood against the API once they stopped changing (or at the deadline). */
export interface Settled {
  /** Records compared: etcd's keys the API calls for, plus every answer asked of every server. */
  readonly checked: number;
  /** What still differed at the deadline: etcd's keys (`etcd: key: etcd -> api`), then wrong answers (`server: ...`). */
  readonly mismatches: readonly string[];
}

const ETCD_TIMEOUT_MS = 30_000;
const DNS_TIMEOUT_MS = 20_000;

/**
 * settle waits, with the API held still, until etcd's /skydns equals key for key what kube2sky must make of the API,
 * then until every server answers exactly what the API says. Propagation takes a moment and is no fault; what still
 * differs at each deadline is returned, every key and every answer of it, rather than thrown.
 */
export async function settle(etcd: Etcd3, apiserverUrl: string, churn: Churn, servers: readonly DnsServer[]): Promise<Settled> {
  let checked = 0;
  let etcdDiffs: string[] = [];
  await eventually(async () => {
    const wanted = await recordsTheApiSays(apiserverUrl);
    etcdDiffs = differences(await recordsInEtcd(etcd), wanted, Number.POSITIVE_INFINITY);
    checked = wanted.size;
    return etcdDiffs.length === 0 ? true : undefined;
  }, { what: "etcd's /skydns equal to what the API says", timeoutMs: ETCD_TIMEOUT_MS, intervalMs: 200 }).catch(() => undefined);
  const mismatches = etcdDiffs.map((diff) => `etcd: ${diff}`);
  const expected = await answersTheApiSays(apiserverUrl, churn);
  for (const server of servers) {
    let wrong: readonly Mismatch[] = [];
    await eventually(async () => {
      wrong = (await sweep(server.host, server.port, expected)).mismatches;
      return wrong.length === 0 ? true : undefined;
    }, { what: `${server.name} answering what the API says`, timeoutMs: DNS_TIMEOUT_MS, intervalMs: 200 }).catch(() => undefined);
    checked += expected.length;
    mismatches.push(...wrong.map((m) => `${server.name}: ${m.expected.type} ${m.expected.name}: want ${m.expected.rcode} ${m.expected.data.join(",")}, got ${m.got}`));
  }
  return { checked, mismatches };
}
