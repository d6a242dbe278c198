#!/usr/bin/env bash
# Builds the images that manifests/kube-dns.yaml runs, with buildah, and prints each one's size.
#   docker/images.sh [NAME...]     NAME: kube2sky, skydns, exec-healthz (default: all three)
# Each image carries the hash of its inputs (its Dockerfile, the base image, the lockfile and the workspace
# packages it is built from) as the label org.kube-dns.inputs, and is rebuilt only when that hash changes.
# Base images that are not on this machine and cannot be pulled get local stand-ins (docker/stand-ins/), under the
# same names, so the Dockerfiles stay the files that build against a real registry.
set -euo pipefail
cd "$(dirname "$0")/.."

NODE_BASE=docker.io/library/node:20-bookworm-slim
ETCD_BASE=$(sed -n 's/^ *image: \(quay.io\/coreos\/etcd:.*\)$/\1/p' manifests/kube-dns.yaml | head -1)
INPUTS_LABEL=org.kube-dns.inputs
STAND_IN_LABEL=org.kube-dns.stand-in
LOG_DIR=.kube-dns/images

log() { printf '[images] %s\n' "$*" >&2; }
label_of() { podman image inspect --format "{{index .Labels \"$2\"}}" "$1" 2>/dev/null || true; }
sha() { sha256sum | cut -c1-16; }

# ensure_base IMAGE SCRIPT VERSION_TEXT: keeps IMAGE if it is real (no stand-in label) or a stand-in of this recipe,
# else builds the stand-in. A stand-in's recipe is its script plus the versions it copies from this machine.
ensure_base() {
  local image=$1 script=$2 recipe
  recipe=$( { cat "$script"; printf '%s\n' "$3"; } | sha)
  if podman image exists "$image"; then
    local have
    have=$(label_of "$image" "$STAND_IN_LABEL")
    if [ -z "$have" ]; then log "$image: using the image on this machine"; return; fi
    if [ "$have" = "$recipe" ]; then log "$image: stand-in up to date ($recipe)"; return; fi
  fi
  log "$image: building the local stand-in ($script)"
  local started=$SECONDS
  "$script" "$image" "$recipe" 2>&1 | sed 's/^/[images]   /' >&2
  log "$image: stand-in built in $((SECONDS - started)) s"
}

# closure NAME: the workspace packages @kube-dns/NAME is built from (itself and its workspace dependencies, dev
# ones included, as `pnpm --filter "@kube-dns/NAME..." build` builds them), one directory a line.
closure() {
  node -e '
    const fs = require("fs");
    const dirs = new Map(fs.readdirSync("packages").map((d) => [JSON.parse(fs.readFileSync(`packages/${d}/package.json`)).name, `packages/${d}`]));
    const seen = new Set();
    const visit = (name) => {
      if (seen.has(name)) return;
      seen.add(name);
      const manifest = JSON.parse(fs.readFileSync(`${dirs.get(name)}/package.json`));
      for (const [dep, spec] of Object.entries({ ...manifest.dependencies, ...manifest.devDependencies })) if (spec.startsWith("workspace:")) visit(dep);
    };
    visit(`@kube-dns/${process.argv[1]}`);
    console.log([...seen].map((name) => dirs.get(name)).sort().join("\n"));
  ' "$1"
}

# inputs_hash NAME: hashes every file the image's build reads that git sees (tracked, or new and not ignored).
inputs_hash() {
  local name=$1 paths
  mapfile -t paths < <(closure "$name")
  {
    podman image inspect --format '{{.Id}}' "$NODE_BASE"
    git ls-files -z -co --exclude-standard -- "docker/$name.Dockerfile" .dockerignore package.json pnpm-lock.yaml \
      pnpm-workspace.yaml tsconfig.base.json '*/package.json' "${paths[@]}" |
      sort -zu | while IFS= read -r -d '' file; do [ -f "$file" ] && sha256sum "$file"; done
  } | sha
}

# build NAME: builds kube-dns/NAME with the manifest's tag unless an image with these inputs is there already.
build() {
  local name=$1 image hash old started
  image=$(sed -n "s/^ *image: \(kube-dns\/$name:.*\)$/\1/p" manifests/kube-dns.yaml | head -1)
  [ -n "$image" ] || { log "manifests/kube-dns.yaml runs no image kube-dns/$name"; exit 1; }
  hash=$(inputs_hash "$name")
  if [ "$(label_of "$image" "$INPUTS_LABEL")" = "$hash" ]; then
    log "$image: up to date (inputs $hash)"
    return
  fi
  old=$(podman image inspect --format '{{.Id}}' "$image" 2>/dev/null || true)
  log "$image: building from docker/$name.Dockerfile (inputs $hash; log in $LOG_DIR/$name.log)"
  mkdir -p "$LOG_DIR"
  started=$SECONDS
  # One line per Dockerfile step on the terminal; pnpm's and apt's output goes to the log.
  if ! buildah bud --isolation chroot --pull-never --layers=false --label "$INPUTS_LABEL=$hash" \
    -f "docker/$name.Dockerfile" -t "$image" . 2>&1 | tee "$LOG_DIR/$name.log" | grep --line-buffered -E '^\[[0-9]+/[0-9]+\] STEP|^STEP' | cut -c1-110 | sed 's/^/[images]   /' >&2; then
    log "$image: build failed; the end of $LOG_DIR/$name.log:"
    tail -30 "$LOG_DIR/$name.log" >&2
    exit 1
  fi
  log "$image: built in $((SECONDS - started)) s"
  # The image this one replaced has lost its tag: remove it, or every rebuild would leave one behind.
  if [ -n "$old" ] && [ "$old" != "$(podman image inspect --format '{{.Id}}' "$image")" ]; then
    podman rmi "$old" >/dev/null 2>&1 || true
  fi
}

names=("$@")
((${#names[@]})) || names=(kube2sky skydns exec-healthz)
for name in "${names[@]}"; do
  [ -f "docker/$name.Dockerfile" ] || { log "no docker/$name.Dockerfile"; exit 2; }
done

command -v podman >/dev/null && command -v buildah >/dev/null || { log "podman and buildah are needed: run ./kube-dns setup"; exit 1; }
ensure_base "$NODE_BASE" docker/stand-ins/node.sh "$(node --version) $(npm --version)"
ensure_base "$ETCD_BASE" docker/stand-ins/etcd.sh "$(etcd --version | head -1)"
for name in "${names[@]}"; do build "$name"; done

printf '%-40s %10s\n' IMAGE SIZE
for image in "$ETCD_BASE" $(for name in "${names[@]}"; do sed -n "s/^ *image: \(kube-dns\/$name:.*\)$/\1/p" manifests/kube-dns.yaml | head -1; done); do
  printf '%-40s %7d MB\n' "$image" "$(($(podman image inspect --format '{{.Size}}' "$image") / 1000000))"
done
