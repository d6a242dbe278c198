#!/usr/bin/env bash
# Builds a local stand-in for docker.io/library/node:20-bookworm-slim where no image registry is reachable:
# Debian bookworm (debootstrap --variant=minbase from Debian's mirror) with this machine's Node.js 20 and npm at
# the official image's paths, its `node` user (uid 1000), and this machine's CA bundle for the registry proxy.
# Usage: docker/stand-ins/node.sh IMAGE LABEL   (LABEL is set as org.kube-dns.stand-in on the image)
set -euo pipefail
image=$1 label=$2
mirror=${DEBIAN_MIRROR:-http://deb.debian.org/debian}
ca_bundle=/etc/ssl/certs/ca-certificates.crt

node_bin=$(command -v node)
node_version=$(node --version)
[[ $node_version == v20.* ]] || { echo "stand-in needs this machine's Node.js 20, found $node_version" >&2; exit 1; }
npm_dir=$(npm root -g)/npm
[ -f "$npm_dir/bin/npm-cli.js" ] || { echo "npm not found at $npm_dir" >&2; exit 1; }

rootfs=$(mktemp -d /var/tmp/kube-dns-node-rootfs.XXXXXX)
trap 'rm -rf "$rootfs"' EXIT

echo "debootstrap --variant=minbase bookworm from $mirror"
# A log line per package would flood the output; debootstrap's own log stays in the rootfs until it is removed.
debootstrap --variant=minbase bookworm "$rootfs" "$mirror" >"$rootfs.log" 2>&1 || { tail -20 "$rootfs.log" >&2; exit 1; }
rm -f "$rootfs.log"
rm -rf "$rootfs"/var/cache/apt/archives/*.deb "$rootfs"/var/lib/apt/lists/*

echo "adding Node.js $node_version, npm $(npm --version), the node user and the CA bundle"
install -D -m 0755 "$(readlink -f "$node_bin")" "$rootfs/usr/local/bin/node"
mkdir -p "$rootfs/usr/local/lib/node_modules"
cp -a "$npm_dir" "$rootfs/usr/local/lib/node_modules/npm"
ln -s ../lib/node_modules/npm/bin/npm-cli.js "$rootfs/usr/local/bin/npm"
ln -s ../lib/node_modules/npm/bin/npx-cli.js "$rootfs/usr/local/bin/npx"
chroot "$rootfs" groupadd --gid 1000 node
chroot "$rootfs" useradd --uid 1000 --gid node --shell /bin/bash --create-home node
# The registries are reached through a proxy whose certificate authority is only in this machine's bundle.
install -D -m 0644 "$ca_bundle" "$rootfs$ca_bundle"
printf 'cafile=%s\n' "$ca_bundle" >"$rootfs/usr/local/etc/npmrc"

echo "importing as $image"
tar -C "$rootfs" -c . | podman import --quiet \
  --change "ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin" \
  --change "ENV NODE_VERSION=${node_version#v}" \
  --change "ENV NODE_EXTRA_CA_CERTS=$ca_bundle" \
  --change "LABEL org.kube-dns.stand-in=$label" \
  --change 'CMD ["node"]' \
  - "$image" >/dev/null
