# syntax=docker/dockerfile:1
# The skydns image. Build from the repository root:  docker build -f docker/skydns.Dockerfile -t kube-dns/skydns:0.1.0 .
FROM node:20-bookworm-slim AS build
WORKDIR /src
RUN npm install -g pnpm@10.34.8
COPY . .
RUN pnpm install --frozen-lockfile \
 && pnpm --filter "@kube-dns/skydns..." build \
 && pnpm --filter "@kube-dns/skydns" deploy --prod --legacy /out

FROM node:20-bookworm-slim

WORKDIR /app
COPY --from=build /out /app

# skydns binds port 53: it runs as root unless the pod grants NET_BIND_SERVICE to a non-root user.
EXPOSE 53/udp 53/tcp 9153
ENTRYPOINT ["node", "/app/dist/main.js"]
