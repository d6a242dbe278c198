/**
 * Fence is a leader's proof of office: its election key and the revision that created it. Every transaction of the
 * leader compares that key's create revision first. The key lives on the leader's lease, so once the lease has
 * expired (and the successor was elected by that very deletion) or the leader resigned, no transaction under the old
 * fence commits, however late it arrives: a re-created key has another create revision.
 */
export interface Fence {
  readonly key: string;
  readonly createRevision: number;
}

/** NotLeaderError says a transaction was refused because its fence no longer holds: this instance no longer leads. */
export class NotLeaderError extends Error {
  override readonly name = "NotLeaderError";

  constructor(readonly fence: Fence) {
    super(`no longer the leader: ${fence.key} is not the key created at revision ${fence.createRevision}`);
  }
}
