import { explainEtcdError } from "@kube-dns/etcd-feed";
import { isSubdomain, normalizeName } from "@kube-dns/msg";
import { type Ask, type Client, runClient } from "./client.js";
import type { StoredKey, RecordReader } from "./keys.js";
import { type NearNames, nearNames } from "./near.js";
import type { ProbeRecord, ProbeReply } from "./probe.js";
import { formatResolvConf, kubeletResolver, ndotsOf, type PodResolver } from "./resolver.js";

/** ExplainRequest is one lookup to explain: the name as an application passes it, from a pod in namespace. */
export interface ExplainRequest {
  readonly rawName: string;
  readonly namespace: string;
  /** The type an application's res_search asks (client glibc); getent and nslookup ask their own types. */
  readonly type: string;
  readonly client: Client;
  readonly domain: string;
  /** The pod's nameserver as resolv.conf names it (the DNS address's host). */
  readonly nameserver: string;
  /** The etcd prefix of the records (`/skydns`). */
  readonly prefix: string;
}

/** Why says why a query got its reply. */
export type Why = "answered" | "nodata" | "nxdomain" | "forwarded" | "refused" | "failed";

/** ExplainedQuery is one query the client sent, the reply, why, and the etcd keys an answer came from. */
export interface ExplainedQuery {
  readonly name: string;
  readonly type: string;
  readonly rcode: string;
  readonly why: Why;
  readonly authoritative: boolean;
  readonly answers: readonly ProbeRecord[];
  readonly keys: readonly StoredKey[];
  readonly elapsedMs: number;
}

/** Explanation is the whole lookup as the pod's resolver made it, and what to change when it cost or failed. */
export interface Explanation {
  readonly request: ExplainRequest;
  readonly resolvConf: string;
  readonly ndots: number;
  /** How the client orders the names, in one sentence. */
  readonly order: string;
  readonly queries: readonly ExplainedQuery[];
  /** The index in queries of the answer the client used; undefined when the name did not resolve. */
  readonly winner: number | undefined;
  readonly totalMs: number;
  /** Suggestions, most useful first; empty when the lookup is already as cheap as it gets. */
  readonly fixes: readonly string[];
  readonly near: NearNames | undefined;
  /** Why records or near names are missing: etcd could not be read. */
  readonly etcdError: string | undefined;
}

// Near names come from one keys-only read of this many keys at most under svc.<domain>: cheap, whatever the cluster.
const NEAR_SCAN_KEYS = 20_000;

/** podResolverFor is the resolver kubelet writes for a ClusterFirst pod of the request's namespace. */
export function podResolverFor(request: ExplainRequest): PodResolver {
  return kubeletResolver({
    namespace: request.namespace, dnsPolicy: "ClusterFirst", clusterDNS: request.nameserver, clusterDomain: request.domain, node: { nameservers: [], searches: [] },
  });
}

/**
 * explainLookup plays the client's lookup against ask (the live nameserver), classifies each reply, reads the keys
 * of each cluster answer through reader (when given), and works out the winner, the cost and the fixes.
 */
export async function explainLookup(request: ExplainRequest, ask: Ask<ProbeReply>, reader: RecordReader | undefined): Promise<Explanation> {
  const resolver = podResolverFor(request);
  const input = { rawName: request.rawName, searches: resolver.searches, ndots: ndotsOf(resolver) };
  const replies = new Map<string, ProbeReply>();
  const remembered: Ask<ProbeReply> = async (name, type) => {
    const reply = replies.get(`${name} ${type}`) ?? (await ask(name, type));
    replies.set(`${name} ${type}`, reply);
    return reply;
  };
  const lookup = await runClient(request.client, input, request.type, remembered);
  const domain = normalizeName(request.domain);
  let etcdError: string | undefined;
  const keysOf = async (name: string): Promise<StoredKey[]> => {
    if (reader === undefined || etcdError !== undefined) return [];
    try {
      return await reader.recordKeys(name);
    } catch (error) {
      etcdError = explainEtcdError(error);
      return [];
    }
  };
  const queries: ExplainedQuery[] = [];
  for (const { name, type, reply } of lookup.steps) {
    const why = whyOf(name, reply, domain);
    queries.push({
      name, type, rcode: reply.rcode, why, authoritative: reply.authoritative, answers: reply.answers, elapsedMs: reply.elapsedMs,
      keys: why === "answered" ? await keysOf(name) : [],
    });
  }
  let near: NearNames | undefined;
  if (lookup.winner === undefined && reader !== undefined && etcdError === undefined) {
    try {
      const { keys } = await reader.serviceKeys(request.domain, NEAR_SCAN_KEYS);
      near = nearNames(request.rawName, request.namespace, request.domain, keys, request.prefix);
    } catch (error) {
      etcdError = explainEtcdError(error);
    }
  }
  const winnerName = lookup.winner === undefined ? undefined : lookup.steps[lookup.winner]?.name;
  const absolute = winnerName === undefined ? undefined : (await runClient(request.client, { ...input, rawName: winnerName }, request.type, remembered)).steps.length;
  return {
    request, resolvConf: formatResolvConf(resolver), ndots: input.ndots, order: orderOf(request.rawName, input.ndots, request.client),
    queries, winner: lookup.winner, totalMs: queries.reduce((sum, query) => sum + query.elapsedMs, 0),
    fixes: fixesFor(request, queries.length, winnerName, absolute, near), near, etcdError,
  };
}

function whyOf(name: string, reply: ProbeReply, domain: string): Why {
  // skydns sets AA on every answer from its zones and never on a forwarded one.
  if (!reply.authoritative && !isSubdomain(name, domain)) return reply.rcode === "REFUSED" ? "refused" : "forwarded";
  if (reply.rcode === "NXDOMAIN") return "nxdomain";
  if (reply.rcode !== "NOERROR") return "failed";
  return reply.answerCount > 0 ? "answered" : "nodata";
}

function orderOf(rawName: string, ndots: number, client: Client): string {
  if (rawName.endsWith(".")) return `"${rawName}" ends with a dot: it is asked as it is, and nothing else`;
  const dots = [...rawName].filter((char) => char === ".").length;
  const counted = `"${rawName}" has ${dots} dot${dots === 1 ? "" : "s"}`;
  if (dots < ndots) return `${counted}, fewer than ndots:${ndots}: each search domain first, then as it is`;
  if (client === "nslookup") return `${counted}, at least ndots:${ndots}: nslookup asks it as it is only`;
  return `${counted}, at least ndots:${ndots}: as it is first, then each search domain`;
}

function fixesFor(request: ExplainRequest, sent: number, winnerName: string | undefined, absolute: number | undefined, near: NearNames | undefined): string[] {
  if (winnerName !== undefined) {
    if (absolute === undefined || absolute >= sent) return [];
    return [`use the FQDN with a trailing dot, "${winnerName}": ${sent} queries -> ${absolute}`];
  }
  const fixes: string[] = [];
  const service = request.rawName.toLowerCase().replace(/\.$/, "").split(".")[0] ?? "";
  const elsewhere = (near?.names ?? []).filter((name) => name.startsWith(`${service}.`));
  for (const name of elsewhere) fixes.push(`"${service}" is in namespace ${name.slice(service.length + 1)}: use "${name}" (or "${name}.svc.${request.domain}." in one query)`);
  const similar = (near?.names ?? []).filter((name) => !elsewhere.includes(name));
  if (similar.length > 0) fixes.push(`similar names: ${similar.map((name) => `"${name}"`).join(", ")}`);
  if (near !== undefined && !near.namespaceHasServices) fixes.push(`namespace ${near.namespace} has no services at all`);
  if (fixes.length === 0) fixes.push(`"${request.rawName}" does not exist: ${sent === 1 ? "the name asked has no record" : `none of the ${sent} names asked has a record`}${near === undefined ? "" : ", and no service is named like it"}`);
  return fixes;
}
