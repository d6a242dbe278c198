import { isReverseName, isSubdomain } from "@kube-dns/msg";

/** RECORD_KINDS are the `kind` label values of kubedns_skydns_index_records, in the order the status page shows them. */
export const RECORD_KINDS = ["service", "srv", "pod", "ptr", "other"] as const;
/** RecordKind is one of RECORD_KINDS. */
export type RecordKind = (typeof RECORD_KINDS)[number];

/**
 * kindOfOwner classifies a record by the name it is stored under (its key's directory), in the layout of the Kubernetes
 * DNS spec: `<svc>.<ns>.svc.<zone>` a service's own records (its cluster IP, or a headless service's endpoints),
 * (a named endpoint's record is a key of its service's directory too), `_<port>._<proto>.` an SRV target, `<ip>.<ns>.pod.<zone>` a pod,
 * in-addr.arpa and ip6.arpa the PTRs. Anything else (an operator's records, another zone, the schema version) is other.
 */
export function kindOfOwner(owner: string, zone: string): RecordKind {
  if (isReverseName(owner)) return "ptr";
  if (!isSubdomain(owner, zone) || owner === zone) return "other";
  const labels = owner.slice(0, owner.length - zone.length - 1).split(".");
  if (labels[0]?.startsWith("_") === true) return "srv";
  const last = labels[labels.length - 1];
  if (last === "svc" && labels.length === 3) return "service";
  if (last === "pod" && labels.length === 3) return "pod";
  return "other";
}

/**
 * RecordKinds counts the index's records by kind when asked (a scrape), once per index revision: one pass over the
 * records, never on the query path.
 */
export class RecordKinds {
  private revision = -1;
  private counts = new Map<RecordKind, number>();

  constructor(
    private readonly zone: string,
    private readonly owners: () => Iterable<string>,
    private readonly currentRevision: () => number,
  ) {}

  /** count returns the records per kind as of the index's revision now. */
  count(): ReadonlyMap<RecordKind, number> {
    const revision = this.currentRevision();
    if (revision === this.revision) return this.counts;
    const counts = new Map<RecordKind, number>(RECORD_KINDS.map((kind) => [kind, 0]));
    for (const owner of this.owners()) {
      const kind = kindOfOwner(owner, this.zone);
      counts.set(kind, (counts.get(kind) ?? 0) + 1);
    }
    this.counts = counts;
    this.revision = revision;
    return counts;
  }
}
