import { normalizeName } from "@kube-dns/msg";

/** SearchStyle is whose search rules apply: glibc's stub resolver (res_search), or bind9's nslookup and dig +search. */
export type SearchStyle = "glibc" | "bind9";

/** SearchInput is a name as an application passed it, and the resolver's search list and ndots. */
export interface SearchInput {
  /** The name as typed: relative (`my-nginx`), dotted (`my-nginx.default`) or absolute with a trailing dot. */
  readonly rawName: string;
  readonly searches: readonly string[];
  readonly ndots: number;
}

/**
 * searchNames lists, in order, the FQDNs a resolver asks while it searches for rawName (it stops early once one is
 * found). glibc (resolv/res_query.c, __res_context_search): a trailing dot means the name as it is and nothing else;
 * a name with at least ndots dots is asked as it is first, then with each search domain; a name with fewer is asked
 * with each search domain first, then as it is. bind9's nslookup (as Debian's 9.18 does, seen in skydns's query log)
 * differs on the second case: a name with at least ndots dots is asked as it is only.
 */
export function searchNames(input: SearchInput, style: SearchStyle = "glibc"): string[] {
  const asIs = normalizeName(input.rawName);
  if (input.rawName.endsWith(".")) return [asIs];
  const dots = [...input.rawName].filter((char) => char === ".").length;
  const absoluteFirst = dots >= input.ndots;
  if (absoluteFirst && style === "bind9") return [asIs];
  const names: string[] = absoluteFirst ? [asIs] : [];
  // A root domain in the list (`search .`) is the name as it is, which then is not asked again at the end.
  let rootListed = false;
  for (const search of input.searches) {
    const domain = search.replace(/^\./, "");
    if (domain === "" || domain === ".") rootListed = true;
    names.push(normalizeName(domain === "" || domain === "." ? input.rawName : `${input.rawName}.${domain}`));
  }
  if (!absoluteFirst && !rootListed) names.push(asIs);
  return [...new Set(names)];
}
