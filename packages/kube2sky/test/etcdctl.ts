import { execFile } from "node:child_process";
import { promisify } from "node:util";

const run = promisify(execFile);
const ENV = { ...process.env, ETCDCTL_API: "3" };

/** etcdctlGet reads every key under prefix with the real etcdctl, as key -> value. */
export async function etcdctlGet(endpoint: string, prefix: string): Promise<Record<string, string>> {
  const { stdout } = await run("etcdctl", ["--endpoints", endpoint, "--command-timeout=5s", "get", "--prefix", prefix], { env: ENV });
  const lines = stdout.split("\n");
  const result: Record<string, string> = {};
  for (let i = 0; i + 1 < lines.length; i += 2) {
    const key = lines[i] as string;
    if (key !== "") result[key] = lines[i + 1] as string;
  }
  return result;
}

/** etcdctlPut writes one key with the real etcdctl. */
export async function etcdctlPut(endpoint: string, key: string, value: string): Promise<void> {
  await run("etcdctl", ["--endpoints", endpoint, "--command-timeout=5s", "put", key, value], { env: ENV });
}

/** etcdctlDelete deletes one key with the real etcdctl. */
export async function etcdctlDelete(endpoint: string, key: string): Promise<void> {
  await run("etcdctl", ["--endpoints", endpoint, "--command-timeout=5s", "del", key], { env: ENV });
}

/** A is the v1.2 JSON of an address record; NAME of a name record, with a port for SRV. */
export const A = (ip: string): string => `{"host":"${ip}","priority":10,"weight":10,"ttl":30,"targetstrip":0}`;
export const NAME = (host: string, port?: number): string =>
  `{"host":"${host}",${port === undefined ? "" : `"port":${port},`}"priority":10,"weight":10,"ttl":30,"targetstrip":0}`;
export const SCHEMA = '{"text":"1.1.0","ttl":28800,"targetstrip":0}';
