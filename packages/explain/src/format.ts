import type { Explanation, ExplainedQuery } from "./explain.js";

/** commandOf is the client's lookup as a person types it (`getent hosts my-nginx`). */
export function commandOf(explanation: Explanation): string {
  const { client, rawName, type } = explanation.request;
  if (client === "getent") return `getent hosts ${rawName}`;
  if (client === "nslookup") return `nslookup ${rawName}`;
  return `res_search("${rawName}", ${type})`;
}

/** formatExplanation renders an explanation for a terminal: the resolv.conf, one row per query, the verdict and fixes. */
export function formatExplanation(explanation: Explanation): string {
  const { request, queries, winner } = explanation;
  const lines = [`A ClusterFirst pod in namespace ${request.namespace} gets this /etc/resolv.conf from kubelet:`];
  for (const line of explanation.resolvConf.trimEnd().split("\n")) lines.push(`  ${line}`);
  lines.push("", `${commandOf(explanation)}: ${explanation.order}.`, "");
  const nameWidth = Math.max(5, ...queries.map((query) => query.name.length));
  lines.push(`  #  ${"QUERY".padEnd(nameWidth)}  TYPE  RCODE     WHY`);
  queries.forEach((query, i) => {
    const mark = i === winner ? "*" : " ";
    lines.push(`${mark}${String(i + 1).padStart(2)}  ${query.name.padEnd(nameWidth)}  ${query.type.padEnd(4)}  ${query.rcode.padEnd(8)}  ${whyText(query, request.domain)}  (${query.elapsedMs.toFixed(1)} ms)`);
    for (const answer of query.answers) lines.push(`       ${answer.name} ${answer.ttl} ${answer.type} ${answer.data}`);
    for (const key of query.keys) lines.push(`       from ${key.key}  ${key.value}`);
  });
  lines.push("");
  const won = winner === undefined ? undefined : queries[winner];
  if (won === undefined) lines.push(`Result: not resolved: no query answered ${request.client === "getent" ? "AAAA or A" : request.client === "nslookup" ? "A" : request.type}.`);
  else lines.push(`Result: resolved by query ${(winner ?? 0) + 1} (${won.name} ${won.type}): ${won.answers.map((answer) => answer.data).join(", ")}`);
  lines.push(`Cost:   ${queries.length} quer${queries.length === 1 ? "y" : "ies"}, ${explanation.totalMs.toFixed(1)} ms`);
  if (explanation.fixes.length === 0) lines.push("Fix:    none needed");
  for (const [i, fix] of explanation.fixes.entries()) lines.push(`${i === 0 ? "Fix:   " : "       "} ${fix}`);
  if (explanation.etcdError !== undefined) lines.push(`Note:   the records could not be read from etcd: ${explanation.etcdError}`);
  return lines.join("\n") + "\n";
}

function whyText(query: ExplainedQuery, domain: string): string {
  switch (query.why) {
    case "answered":
      return query.authoritative ? "answered from the cluster's records" : "answered";
    case "nodata":
      return `NODATA: the name exists, but has no ${query.type} record`;
    case "nxdomain":
      return "NXDOMAIN: no such name";
    case "forwarded":
      if (query.answers.length > 0) return `forwarded: outside ${domain}; the upstream answered`;
      return `forwarded: outside ${domain}; the upstream said ${query.rcode === "NOERROR" ? "NODATA (no such record)" : query.rcode}`;
    case "refused":
      return `refused: outside ${domain}, and skydns forwards nothing`;
    case "failed":
      return `failed: ${query.rcode}`;
  }
}
