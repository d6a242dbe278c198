import type { KubernetesObject } from "@kubernetes/client-node";

/** PAGE_SIZE is how many objects one list request asks for: client-go's reflector asks for 500. */
export const PAGE_SIZE = 500;

/** PAGE_TIMEOUT_MS bounds one page request, so a list on a connection that died does not hang for ever. */
export const PAGE_TIMEOUT_MS = 60_000;

/** ListPage is one page of a list, as the API server returns it. */
export interface ListPage {
  readonly metadata?: { readonly resourceVersion?: string | undefined; readonly _continue?: string | undefined } | undefined;
  readonly items: readonly KubernetesObject[];
}

/** ListFn requests one page: at most `limit` objects, after `continueToken` when it is set. */
export type ListFn = (limit: number, continueToken: string | undefined, signal: AbortSignal) => Promise<ListPage>;

/**
 * listPages reads a whole list in pages of PAGE_SIZE, following `continue` to the end, and hands each page's
 * objects to onPage as it arrives, so no more than one page of full objects is alive at a time. It returns the
 * resourceVersion of the first page: the server serves every continued page from that same snapshot
 * (API concepts, "Retrieving large results sets in chunks"). A failure, such as 410 Expired for a continue
 * token whose snapshot was compacted, rejects; the caller then lists again from the first page.
 */
export async function listPages(list: ListFn, onPage: (items: readonly KubernetesObject[]) => void, signal: AbortSignal): Promise<string> {
  let resourceVersion: string | undefined;
  let continueToken: string | undefined;
  do {
    const page = await list(PAGE_SIZE, continueToken, AbortSignal.any([signal, AbortSignal.timeout(PAGE_TIMEOUT_MS)]));
    signal.throwIfAborted();
    resourceVersion ??= page.metadata?.resourceVersion;
    onPage(page.items);
    const next = page.metadata?._continue;
    continueToken = next === undefined || next === "" ? undefined : next;
  } while (continueToken !== undefined);
  if (resourceVersion === undefined || resourceVersion === "") throw new Error("the list carried no resourceVersion to watch from");
  return resourceVersion;
}
