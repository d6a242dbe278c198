/**
 * DifferenceKind is what one difference is: a record the API implies that etcd lacks (missing), a record of
 * kube2sky's that no API object implies (stale), a value other than the one implied (wrong), a value or key skydns
 * cannot read (corrupt), or an answer of skydns other than what etcd holds (dns-differs).
 */
export type DifferenceKind = "missing" | "stale" | "wrong" | "corrupt" | "dns-differs";

/** DIFFERENCE_KINDS lists every kind, in the order the report counts them. */
export const DIFFERENCE_KINDS: readonly DifferenceKind[] = ["missing", "stale", "wrong", "corrupt", "dns-differs"];

/** Difference is one disagreement between two of the three views, with the API object and etcd key it belongs to. */
export interface Difference {
  readonly kind: DifferenceKind;
  /** The API object, as `Service NS/NAME`, `Pod NS/NAME (IP)` or `dns-version`; `-` when none can be named. */
  readonly object: string;
  readonly key: string;
  /** What differs, in words: the values, the parser's error, or the question and the answers. */
  readonly detail: string;
}

/** identityOf is what makes two sightings of a difference the same one, across a re-check. */
export function identityOf(difference: Difference): string {
  // The detail is left out: a value that changed between the two looks is still the same key going wrong.
  return `${difference.kind}\u0000${difference.key}\u0000${difference.kind === "dns-differs" ? difference.detail : ""}`;
}
