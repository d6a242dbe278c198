import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startEtcd, terminate, type EtcdServer } from "@kube-dns/etcd-process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const ROOT = join(import.meta.dirname, "../../..");
const MAIN = "packages/dev-apiserver/src/main.ts";

function program(args: string[], env: Record<string, string> = {}): ChildProcess {
  return spawn(process.execPath, ["--conditions=source", "--import", "tsx", MAIN, ...args], { cwd: ROOT, env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"] });
}

// firstLine resolves with the program's first line of stdout, or rejects when it exits first or after 20 s.
function firstLine(child: ChildProcess): Promise<string> {
  return new Promise((resolve, reject) => {
    let out = "";
    let err = "";
    const timer = setTimeout(() => reject(new Error(`no output within 20 s: ${err}`)), 20_000);
    child.stderr?.on("data", (chunk: Buffer) => (err += chunk.toString()));
    child.stdout?.on("data", (chunk: Buffer) => {
      out += chunk.toString();
      if (out.includes("\n")) {
        clearTimeout(timer);
        resolve(out.slice(0, out.indexOf("\n")));
      }
    });
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`exited ${code}: ${err}`));
    });
  });
}

function exitCode(child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null) return Promise.resolve(child.exitCode);
  return new Promise((resolve) => child.once("exit", (code) => resolve(code)));
}

describe("the dev-apiserver program", () => {
  let etcd: EtcdServer;
  let dir: string;

  beforeAll(async () => {
    etcd = await startEtcd();
    dir = mkdtempSync(join(tmpdir(), "dev-apiserver-main-"));
  });

  afterAll(async () => {
    await etcd?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it("prints its URL, writes the kubeconfig, serves with the token from the environment and stops on SIGTERM", async () => {
    const kubeconfig = join(dir, "kubeconfig");
    const child = program(["--etcd-servers", etcd.clientUrl, "--kubeconfig-out", kubeconfig, "--secure-port", "0"], { DEV_APISERVER_TOKEN: "s3cret" });
    try {
      const line = await firstLine(child);
      const match = /^dev-apiserver serving (http:\/\/127\.0\.0\.1:\d+) kubeconfig (\S+)$/.exec(line);
      expect(match?.[2]).toBe(kubeconfig);
      const url = match?.[1] ?? "";
      expect(readFileSync(kubeconfig, "utf8")).toContain(`server: ${url}`);
      expect(readFileSync(kubeconfig, "utf8")).toContain("token: s3cret");
      expect((await fetch(`${url}/api/v1/namespaces/default/services/kubernetes`)).status).toBe(401);
      const response = await fetch(`${url}/api/v1/namespaces/default/services/kubernetes`, { headers: { authorization: "Bearer s3cret" } });
      expect(((await response.json()) as { spec: { clusterIP: string } }).spec.clusterIP).toBe("10.0.0.1");
      const metrics = await (await fetch(`${url}/metrics`)).text();
      expect(metrics).toContain('kubedns_dev_apiserver_requests_total{verb="get",resource="services",code="200"} 1');
      child.kill("SIGTERM");
      expect(await exitCode(child)).toBe(0);
    } finally {
      await terminate(child);
    }
  });
});
