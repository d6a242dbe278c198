import { setTimeout as sleep } from "node:timers/promises";
import { normalizeName } from "@kube-dns/msg";
import { answerDifferences, replyOf } from "./answers.js";
import { compareRecords } from "./compare.js";
import { DEFAULT_IN_FLIGHT, type DoctorConfig } from "./config.js";
import { DIFFERENCE_KINDS, type Difference, type DifferenceKind, identityOf } from "./difference.js";
import { DnsClient } from "./dns-client.js";
import { type Question, questionsFor } from "./questions.js";
import { readApi, readEtcd, SourceError } from "./sources.js";

/** DoctorReport is one verdict: when, how long it took, every difference that lasted, and their counts. */
export interface DoctorReport {
  readonly checkedAt: Date;
  readonly durationMs: number;
  readonly differences: readonly Difference[];
  readonly counts: Readonly<Record<DifferenceKind, number>>;
  /** What was compared: records the API implies, records in etcd, DNS questions asked. */
  readonly checked: { readonly wanted: number; readonly etcd: number; readonly questions: number };
}

interface Pass {
  readonly differences: Difference[];
  readonly checked: DoctorReport["checked"];
}

/**
 * runDoctor compares the API, etcd and skydns once and, when it found differences and settleMs is set, once more
 * after settleMs, reporting only the differences seen both times (a live cluster changes while it is read). It
 * never writes anything. A view it cannot read at all rejects with SourceError.
 */
export async function runDoctor(config: DoctorConfig): Promise<DoctorReport> {
  const checkedAt = new Date();
  const started = performance.now();
  let pass = await check(config);
  if (pass.differences.length > 0 && config.settleMs > 0) {
    await sleep(config.settleMs);
    const again = await check(config);
    const lasting = new Set(again.differences.map(identityOf));
    pass = { differences: pass.differences.filter((d) => lasting.has(identityOf(d))), checked: again.checked };
  }
  const differences = sortDifferences(pass.differences);
  const counts = Object.fromEntries(DIFFERENCE_KINDS.map((kind) => [kind, differences.filter((d) => d.kind === kind).length])) as Record<DifferenceKind, number>;
  return { checkedAt, durationMs: performance.now() - started, differences, counts, checked: pass.checked };
}

async function check(config: DoctorConfig): Promise<Pass> {
  const zone = normalizeName(config.domain);
  const api = await readApi(config, zone);
  const etcd = await readEtcd(config, api.objectOf);
  const differences = compareRecords(api.wanted, etcd, zone, config.prefix);
  const questions = questionsFor(api.wanted, etcd.records, config.prefix);
  differences.push(...(await askAll(config, questions)));
  return { differences, checked: { wanted: api.wanted.size, etcd: etcd.records.size, questions: questions.length } };
}

async function askAll(config: DoctorConfig, questions: readonly Question[]): Promise<Difference[]> {
  const client = await DnsClient.open({ host: config.dnsHost, port: config.dnsPort, tryTimeoutMs: Math.max(200, Math.floor(config.timeoutMs / 3)) });
  try {
    // One question first: a skydns that answers nothing is a view we cannot read, not a difference per name.
    const first = questions[0];
    if (first !== undefined && (await client.ask(first.name, first.type)) === undefined) {
      throw new SourceError("dns", `no DNS reply from ${config.dnsHost}:${config.dnsPort} (asked ${first.type} ${first.name})`);
    }
    const differences: Difference[] = [];
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < questions.length) {
        const question = questions[next++]!;
        const packet = await client.ask(question.name, question.type);
        differences.push(...answerDifferences(question, packet === undefined ? undefined : replyOf(packet, question)));
      }
    };
    await Promise.all(Array.from({ length: config.inFlight ?? DEFAULT_IN_FLIGHT }, worker));
    return differences;
  } finally {
    client.close();
  }
}

function sortDifferences(differences: readonly Difference[]): Difference[] {
  const order = (kind: DifferenceKind): number => DIFFERENCE_KINDS.indexOf(kind);
  return [...differences].sort((a, b) => order(a.kind) - order(b.kind) || a.key.localeCompare(b.key) || a.detail.localeCompare(b.detail));
}
