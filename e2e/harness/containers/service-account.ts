import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { chmodSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";

/** ServiceAccount is what the container suite mounts into kube2sky, and what its API front serves with. */
export interface ServiceAccount {
  /** The directory mounted at /var/run/secrets/kubernetes.io/serviceaccount: token, ca.crt, namespace. */
  readonly dir: string;
  readonly token: string;
}

/**
 * makeServiceAccount writes, under dir, a test CA and a server certificate for serverIp signed by it (pki/, for the
 * API front) and the service-account directory a kubelet would mount: a random token, the CA and the namespace. The
 * files are world-readable (kube2sky runs as uid 1000); the keys stay root's. Uses the openssl command.
 */
export function makeServiceAccount(dir: string, serverIp: string): ServiceAccount {
  const pki = join(dir, "pki");
  const serviceAccountDir = join(dir, "serviceaccount");
  mkdirSync(pki, { mode: 0o700 });
  mkdirSync(serviceAccountDir, { mode: 0o755 });
  const openssl = (...args: string[]): void => {
    execFileSync("openssl", args, { cwd: pki, stdio: ["ignore", "ignore", "pipe"], timeout: 20_000 });
  };
  const key = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"];
  openssl("req", "-x509", ...key, "-keyout", "ca.key", "-out", "ca.crt", "-days", "1", "-subj", "/CN=kube-dns-container-suite-ca");
  openssl("req", ...key, "-keyout", "server.key", "-out", "server.csr", "-subj", `/CN=${serverIp}`);
  writeFileSync(join(pki, "san.ext"), `subjectAltName=IP:${serverIp}\n`);
  openssl("x509", "-req", "-in", "server.csr", "-CA", "ca.crt", "-CAkey", "ca.key", "-CAcreateserial", "-out", "server.crt", "-days", "1", "-extfile", "san.ext");
  const token = randomBytes(24).toString("hex");
  writeFileSync(join(serviceAccountDir, "token"), token, { mode: 0o644 });
  writeFileSync(join(serviceAccountDir, "namespace"), "kube-system", { mode: 0o644 });
  execFileSync("cp", [join(pki, "ca.crt"), join(serviceAccountDir, "ca.crt")]);
  chmodSync(join(serviceAccountDir, "ca.crt"), 0o644);
  return { dir: serviceAccountDir, token };
}
