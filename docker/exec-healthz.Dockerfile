# syntax=docker/dockerfile:1
# The exec-healthz image. Build from the repository root:  docker build -f docker/exec-healthz.Dockerfile -t kube-dns/exec-healthz:0.1.0 .
FROM node:20-bookworm-slim AS build
WORKDIR /src
RUN npm install -g pnpm@10.34.8
COPY . .
RUN pnpm install --frozen-lockfile \
 && pnpm --filter "@kube-dns/exec-healthz..." build \
 && pnpm --filter "@kube-dns/exec-healthz" deploy --prod --legacy /out

FROM node:20-bookworm-slim
# The probe command is nslookup, so the image carries dnsutils.
RUN apt-get update && apt-get install -y --no-install-recommends dnsutils && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY --from=build /out /app

USER node
EXPOSE 8080
ENTRYPOINT ["node", "/app/dist/main.js"]
