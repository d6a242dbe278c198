import { accessSync, constants } from "node:fs";
import { delimiter, join } from "node:path";

/** The command that installs every system package the project needs (etcd among them). */
export const SETUP_COMMAND = "./kube-dns setup";

/** EtcdNotFoundError is thrown when no etcd binary can be found; its message names the setup command. */
export class EtcdNotFoundError extends Error {
  override readonly name = "EtcdNotFoundError";
}

/** findExecutable returns the first executable called name on PATH, or undefined. */
export function findExecutable(name: string, searchPath: string = process.env["PATH"] ?? ""): string | undefined {
  if (name.includes("/")) return isExecutable(name) ? name : undefined;
  for (const dir of searchPath.split(delimiter)) {
    if (dir === "") continue;
    const candidate = join(dir, name);
    if (isExecutable(candidate)) return candidate;
  }
  return undefined;
}

/** etcdBinary resolves the etcd server binary (explicit path, then PATH) or throws EtcdNotFoundError. */
export function etcdBinary(explicit?: string): string {
  const found = findExecutable(explicit ?? "etcd");
  if (found === undefined) {
    throw new EtcdNotFoundError(
      `etcd server binary ${JSON.stringify(explicit ?? "etcd")} not found on PATH; run \`${SETUP_COMMAND}\` ` +
        "(it installs Debian's etcd-server and etcd-client), or pass the binary's path",
    );
  }
  return found;
}

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}
