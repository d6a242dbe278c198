import { execFile } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);

/**
 * makeCertificates writes, with the real openssl, a CA (`ca.crt`, `ca.key`) into dir and for each name a key and a
 * certificate it signed (`<name>.key`, `<name>.crt`): `server` is for 127.0.0.1 (server and client auth), any other
 * name is a client certificate.
 */
export async function makeCertificates(dir: string, names: readonly string[], caName = "kube2sky-test-ca"): Promise<void> {
  const openssl = (...args: string[]) => run("openssl", args, { cwd: dir });
  await openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "ca.key", "-out", "ca.crt", "-days", "1", "-subj", `/CN=${caName}`);
  for (const name of names) {
    const extensions = name === "server" ? "subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth,clientAuth\n" : "extendedKeyUsage=clientAuth\n";
    writeFileSync(join(dir, `${name}.ext`), extensions);
    await openssl("req", "-newkey", "rsa:2048", "-nodes", "-keyout", `${name}.key`, "-out", `${name}.csr`, "-subj", `/CN=${name}`);
    await openssl("x509", "-req", "-in", `${name}.csr`, "-CA", "ca.crt", "-CAkey", "ca.key", "-CAcreateserial", "-out", `${name}.crt`, "-days", "1", "-extfile", `${name}.ext`);
  }
}
