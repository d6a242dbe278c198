import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { etcdBinary, freePort, terminate } from "@kube-dns/etcd-process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connectEtcd } from "../src/etcd.js";
import { makeCertificates } from "./certs.js";

const dir = mkdtempSync(join(tmpdir(), "kube2sky-etcd-tls-"));
const file = (name: string) => join(dir, name);
let etcd: ChildProcess | undefined;
let url = "";

beforeAll(async () => {
  await makeCertificates(dir, ["server", "client"]);
  const [clientPort, peerPort] = [await freePort("127.0.0.1"), await freePort("127.0.0.1")];
  url = `https://127.0.0.1:${clientPort}`;
  const peer = `http://127.0.0.1:${peerPort}`;
  etcd = spawn(
    etcdBinary(),
    [
      "--name", "default", "--data-dir", file("data"),
      "--listen-client-urls", url, "--advertise-client-urls", url,
      "--listen-peer-urls", peer, "--initial-advertise-peer-urls", peer, "--initial-cluster", `default=${peer}`,
      "--cert-file", file("server.crt"), "--key-file", file("server.key"), "--trusted-ca-file", file("ca.crt"), "--client-cert-auth",
    ],
    { stdio: ["ignore", "pipe", "pipe"] },
  );
  // etcd says when it serves clients: wait for that line, not for a timer.
  await new Promise<void>((resolve, reject) => {
    const lines = createInterface({ input: etcd?.stderr as NodeJS.ReadableStream });
    lines.on("line", (line) => {
      if (line.includes(`serving client requests on 127.0.0.1:${clientPort}`)) resolve();
    });
    etcd?.once("exit", (code) => reject(new Error(`etcd exited with ${code}`)));
  });
});

afterAll(async () => {
  if (etcd !== undefined) await terminate(etcd);
  rmSync(dir, { recursive: true, force: true });
});

describe("kube2sky's etcd client over TLS (--etcd-cafile, --etcd-certfile, --etcd-keyfile)", () => {
  it("writes and reads back with a client certificate", async () => {
    const client = connectEtcd({ server: url, mutationTimeoutMs: 5000, caFile: file("ca.crt"), certFile: file("client.crt"), keyFile: file("client.key") });
    try {
      await client.commit([{ kind: "put", key: "/skydns/local/cluster/tls/x", value: "{}" }]);
      expect(await client.readPrefix("/skydns/")).toEqual(new Map([["/skydns/local/cluster/tls/x", "{}"]]));
    } finally {
      client.close();
    }
  });

  it("is refused without a client certificate", async () => {
    const client = connectEtcd({ server: url, mutationTimeoutMs: 2000, caFile: file("ca.crt") });
    try {
      await expect(client.readPrefix("/skydns/")).rejects.toThrow();
    } finally {
      client.close();
    }
  });
});
