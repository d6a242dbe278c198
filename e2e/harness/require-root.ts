/**
 * requireRoot throws a clear error unless the tests run as root: a pod's resolv.conf is bind-mounted in a private
 * mount namespace (unshare -m) and skydns listens on port 53, which both need it. CI runs as root.
 */
export function requireRoot(): void {
  const uid = process.getuid?.();
  if (uid !== 0) {
    throw new Error(`the e2e walkthroughs need root (unshare -m, port 53 on loopback); running as uid ${String(uid)}: run them as root, as CI does`);
  }
}
