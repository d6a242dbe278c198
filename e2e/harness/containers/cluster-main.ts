import { once } from "node:events";
import { readFileSync } from "node:fs";
import { request } from "node:http";
import { createServer } from "node:https";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { startDevApiServer } from "@kube-dns/dev-apiserver";
import { startEtcd } from "@kube-dns/etcd-process";

// The played pod's Kubernetes API, run by the container suite in its network namespace (ip netns exec), the one the
// pod's network lives in: the cluster's own etcd and the dev-apiserver requiring the service account's token, both on
// loopback, and a TLS front on every address, with the certificate the mounted ca.crt signed, as kube2sky's in-cluster
// client expects. Prints one JSON line once all three serve, and stops them on SIGTERM.
//   node --conditions=source --import tsx e2e/harness/containers/cluster-main.ts --dir DIR --token TOKEN
//        --api-port PORT --plain-port PORT --etcd-port PORT
const { values } = parseArgs({
  options: {
    dir: { type: "string" },
    token: { type: "string" },
    "api-port": { type: "string" },
    "plain-port": { type: "string" },
    "etcd-port": { type: "string" },
  },
});
const dir = values.dir ?? "";
const etcdPort = Number(values["etcd-port"]);
const etcd = await startEtcd({ clientPort: etcdPort, peerPort: etcdPort + 1, dataDir: join(dir, "cluster-etcd") });
const api = await startDevApiServer({
  etcdUrl: etcd.clientUrl,
  port: Number(values["plain-port"]),
  token: values.token,
  kubeconfigPath: join(dir, "kubeconfig"),
  logLevel: "error",
});
const front = createServer({ key: readFileSync(join(dir, "pki", "server.key")), cert: readFileSync(join(dir, "pki", "server.crt")) }, (req, res) => {
  // Watches stream: pipe both ways, and end the upstream request when the client goes away.
  const upstream = request(`${api.url}${req.url ?? "/"}`, { method: req.method, headers: req.headers }, (answer) => {
    res.writeHead(answer.statusCode ?? 502, answer.headers);
    // A watch may send nothing for a while; its headers must not wait for the first event (kubectl waits on them).
    res.flushHeaders();
    answer.pipe(res);
  });
  upstream.on("error", () => res.destroy());
  res.on("close", () => upstream.destroy());
  req.pipe(upstream);
});
front.listen(Number(values["api-port"]), "0.0.0.0");
await once(front, "listening");
console.log(JSON.stringify({ ready: true, plainUrl: api.url, etcdUrl: etcd.clientUrl }));

await Promise.race([once(process, "SIGTERM"), once(process, "SIGINT")]);
front.closeAllConnections();
front.close();
await api.stop();
await etcd.stop();
