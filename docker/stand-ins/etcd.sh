#!/usr/bin/env bash
# Builds a local stand-in for quay.io/coreos/etcd:v3.4.23 where no image registry is reachable: Debian's etcd 3.4
# (packages etcd-server and etcd-client) at the official image's paths, /usr/local/bin/etcd and /usr/local/bin/etcdctl,
# with the C library they link and nothing else.
# Usage: docker/stand-ins/etcd.sh IMAGE LABEL   (LABEL is set as org.kube-dns.stand-in on the image)
set -euo pipefail
image=$1 label=$2
want=${image##*:v}

etcd_bin=$(command -v etcd) etcdctl_bin=$(command -v etcdctl)
have=$(etcd --version | sed -n 's/^etcd Version: //p')
[ "${have%.*}" = "${want%.*}" ] || { echo "stand-in for etcd $want needs Debian's etcd ${want%.*}, found $have" >&2; exit 1; }

rootfs=$(mktemp -d /var/tmp/kube-dns-etcd-rootfs.XXXXXX)
trap 'rm -rf "$rootfs"' EXIT
echo "adding etcd $have and etcdctl from $etcd_bin, $etcdctl_bin"
install -D -m 0755 "$etcd_bin" "$rootfs/usr/local/bin/etcd"
install -D -m 0755 "$etcdctl_bin" "$rootfs/usr/local/bin/etcdctl"
for bin in "$etcd_bin" "$etcdctl_bin"; do
  ldd "$bin" | grep -o '/[^ ]*' | xargs -I{} cp --parents -L {} "$rootfs"
done
mkdir -p "$rootfs/etc" "$rootfs/var/etcd" "$rootfs/var/lib/etcd" "$rootfs/tmp"
chmod 1777 "$rootfs/tmp"
printf 'root:x:0:0::/root:/sbin/nologin\nnobody:x:65534:65534::/nonexistent:/sbin/nologin\n' >"$rootfs/etc/passwd"
printf 'root:x:0:\nnogroup:x:65534:\n' >"$rootfs/etc/group"

echo "importing as $image"
tar -C "$rootfs" -c . | podman import --quiet \
  --change "ENV PATH=/usr/local/bin" \
  --change "LABEL org.kube-dns.stand-in=$label" \
  --change "WORKDIR /var/etcd" \
  --change "EXPOSE 2379" --change "EXPOSE 2380" \
  --change 'CMD ["/usr/local/bin/etcd"]' \
  - "$image" >/dev/null
