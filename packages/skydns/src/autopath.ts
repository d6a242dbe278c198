import { podLabel } from "@kube-dns/msg";
import type { IndexStore } from "./index-store.js";
import { wireNameOf } from "./parse.js";

/**
 * Autopath walks a pod's search path on the server (--autopath), so that the first name a pod's resolver asks
 * (`X.<ns>.svc.<domain>`, from `search <ns>.svc.<domain> svc.<domain> <domain> ...`) is answered with the name that
 * exists. It applies only when the client's address is the address of current pod records (`<a-b-c-d>.<ns>.pod.
 * <domain>`) in exactly one namespace, and that namespace is the `<ns>` of the name asked; any other client (no pod
 * record, records in several namespaces as hostNetwork pods have, another namespace) is answered plainly. The names
 * it tries then depend on the name asked alone, never on which pod asked: a stale record of the same namespace gives
 * the very answer the current pod gets, and a record of another namespace gives the plain answer.
 */
export class Autopath {
  /** The namespaces holding a pod record, by the record's address label (`10-244-1-5`). */
  private readonly namespaces = new Map<string, Set<string>>();
  private readonly podSuffix: string;
  private readonly svcSuffix: string;
  /** `svc.<domain>` as wire labels down to the root, to pass over most names before spelling them out. */
  private readonly svcWire: string;

  constructor(
    private readonly store: IndexStore,
    /** The cluster domain, a lowercase FQDN. */
    private readonly domain: string,
    /** The node's search domains (skydns's resolv.conf), which kubelet appends to a pod's; lowercase FQDNs. */
    private readonly hostSearches: readonly string[],
  ) {
    this.podSuffix = `.pod.${domain}`;
    this.svcSuffix = `.svc.${domain}`;
    this.svcWire = `svc.${domain}`.split(".").map((label) => String.fromCharCode(label.length) + label).join("");
  }

  /** track follows the index: call it with the names whose records changed, after the index has them. */
  track(names: Iterable<string>): void {
    for (const name of names) {
      if (!name.endsWith(this.podSuffix)) continue;
      const labels = name.slice(0, -this.podSuffix.length).split(".");
      if (labels.length !== 2) continue;
      const [label, namespace] = labels as [string, string];
      let held = this.namespaces.get(label);
      // The record must hold the address its name spells: a name alone could be any operator's record.
      if (this.store.recordsAt(name).some(({ record }) => podLabel(record.host) === label)) {
        if (held === undefined) this.namespaces.set(label, (held = new Set()));
        held.add(namespace);
      } else if (held !== undefined) {
        held.delete(namespace);
        if (held.size === 0) this.namespaces.delete(label);
      }
    }
  }

  /**
   * namespaceOf returns the namespace of the pod at a client address: the one namespace whose pod record for that
   * address holds it, or undefined when there is none or more than one.
   */
  namespaceOf(clientAddress: string): string | undefined {
    // A dual-stack socket spells an IPv4 client as an IPv4-mapped IPv6 address.
    const ip = clientAddress.startsWith("::ffff:") && clientAddress.includes(".") ? clientAddress.slice(7) : clientAddress;
    const held = this.namespaces.get(podLabel(ip));
    return held?.size === 1 ? (held.values().next().value as string) : undefined;
  }

  /**
   * searchFor returns the names to try, in order, for a query of name from clientAddress: name itself, then the base
   * under `svc.<domain>`, `<domain>`, each host search domain and the root, as the pod's resolver would ask them. It
   * returns undefined when the query is to be answered plainly.
   */
  searchFor(name: string, clientAddress: string | undefined): readonly string[] | undefined {
    if (clientAddress === undefined || !name.endsWith(this.svcSuffix)) return undefined;
    const rest = name.slice(0, -this.svcSuffix.length);
    const dot = rest.lastIndexOf(".");
    if (dot <= 0) return undefined;
    if (this.namespaceOf(clientAddress) !== rest.slice(dot + 1)) return undefined;
    const base = rest.slice(0, dot);
    return [name, `${base}.svc.${this.domain}`, `${base}.${this.domain}`, ...this.hostSearches.map((search) => `${base}.${search}`), `${base}.`];
  }

  /**
   * searchForWire is searchFor for a simple query's key (its lowercased wire name and type), spelling the name out
   * only when it ends in `svc.<domain>`; a name with bytes no served name has is answered plainly.
   */
  searchForWire(msg: Buffer, key: string, questionEnd: number, clientAddress: string | undefined): readonly string[] | undefined {
    // The key is the wire name, ending in the root label (a zero byte), then one character for the type.
    if (clientAddress === undefined || !key.endsWith(this.svcWire, key.length - 1)) return undefined;
    const name = wireNameOf(msg, questionEnd);
    return name === undefined ? undefined : this.searchFor(name, clientAddress);
  }
}
