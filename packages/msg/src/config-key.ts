import { DEFAULT_PREFIX } from "./name.js";

/**
 * configKeyFor returns the key of skydns's own configuration under a prefix, `/skydns/config` (skydns's original
 * layout): a JSON object of nameservers, stub domains and zones, not a record. kube2sky writes it, skydns applies it,
 * `kube-dns tree` shows it.
 */
export function configKeyFor(prefix: string = DEFAULT_PREFIX): string {
  return `${prefix}/config`;
}
