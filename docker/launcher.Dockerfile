# syntax=docker/dockerfile:1
# The launcher image, the `kube-dns` command, for `kube-dns doctor` in a cluster (manifests/kube-dns-doctor-cronjob.yaml;
# `up` needs an etcd binary this image lacks). Build from the repository root:
#   docker build -f docker/launcher.Dockerfile -t kube-dns/launcher:0.1.0 .
FROM node:20-bookworm-slim AS build
WORKDIR /src
RUN npm install -g pnpm@10.34.8
COPY . .
# Only this package, the workspace packages it needs and the root (whose dev dependencies hold TypeScript) are
# installed. The pnpm store is a cache mount: a rebuild after a source change downloads nothing. Type declarations,
# source maps and docs are about half of what deploy copies and nothing at run time.
RUN --mount=type=cache,id=kube-dns-pnpm-store,target=/pnpm-store \
    pnpm install --frozen-lockfile --store-dir /pnpm-store --filter "@kube-dns/launcher..." --filter kube-dns-ts \
 && pnpm --filter "@kube-dns/launcher..." build \
 && pnpm --filter "@kube-dns/launcher" deploy --prod --legacy --store-dir /pnpm-store /out \
 && find /out -type f \( -name '*.ts' -o -name '*.mts' -o -name '*.cts' -o -name '*.map' -o -name '*.md' \) -delete

# Node.js and the C libraries it links, nothing else: no shell, no package manager.
FROM node:20-bookworm-slim AS runtime
RUN mkdir -p /rootfs/usr/local/bin /rootfs/etc /rootfs/tmp \
 && cp /usr/local/bin/node /rootfs/usr/local/bin/node \
 && ldd /usr/local/bin/node | grep -o '/[^ ]*' | xargs -I{} cp --parents -L {} /rootfs \
 && printf 'root:x:0:0::/root:/sbin/nologin\nnode:x:1000:1000::/nonexistent:/sbin/nologin\n' >/rootfs/etc/passwd \
 && printf 'root:x:0:\nnode:x:1000:\n' >/rootfs/etc/group \
 && printf 'hosts: files dns\n' >/rootfs/etc/nsswitch.conf \
 && chmod 1777 /rootfs/tmp

FROM scratch
COPY --from=runtime /rootfs /
COPY --from=build /out /app
ENV PATH=/usr/local/bin NODE_ENV=production
WORKDIR /app
# The doctor only dials out (API server, etcd, skydns) and listens on nothing: no privilege needed.
USER 1000:1000
ENTRYPOINT ["node", "/app/dist/main.js"]
