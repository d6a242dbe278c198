# syntax=docker/dockerfile:1
# The kube2sky image. Build from the repository root:  docker build -f docker/kube2sky.Dockerfile -t kube-dns/kube2sky:0.1.0 .
FROM node:20-bookworm-slim AS build
WORKDIR /src
RUN npm install -g pnpm@10.34.8
COPY . .
RUN pnpm install --frozen-lockfile \
 && pnpm --filter "@kube-dns/kube2sky..." build \
 && pnpm --filter "@kube-dns/kube2sky" deploy --prod --legacy /out

FROM node:20-bookworm-slim

WORKDIR /app
COPY --from=build /out /app
# kube2sky only dials out (API server, etcd) and serves readiness on 8081: no privilege needed.
USER node
EXPOSE 8081
ENTRYPOINT ["node", "/app/dist/main.js"]
