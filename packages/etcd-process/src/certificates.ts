import { execFile } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);

/** EtcdCertificates are the files makeEtcdCertificates wrote: a CA, a member certificate and a client certificate. */
export interface EtcdCertificates {
  readonly caFile: string;
  /** For the members: 127.0.0.1 and localhost, server and client auth. */
  readonly serverCertFile: string;
  readonly serverKeyFile: string;
  /** For our programs: client auth only. */
  readonly clientCertFile: string;
  readonly clientKeyFile: string;
}

/**
 * makeEtcdCertificates writes, with the real openssl, a CA valid for a day into dir, a member certificate it signed
 * for 127.0.0.1 and localhost, and a client certificate it signed: what a test needs to run etcd over TLS with
 * --client-cert-auth (startEtcd's `tls`, startEtcdCluster's `tls`).
 */
export async function makeEtcdCertificates(dir: string): Promise<EtcdCertificates> {
  const openssl = (...args: string[]) => run("openssl", args, { cwd: dir });
  await openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "ca.key", "-out", "ca.crt", "-days", "1", "-subj", "/CN=kube-dns-etcd-test-ca");
  const sign = async (name: string, extensions: string): Promise<void> => {
    writeFileSync(join(dir, `${name}.ext`), extensions);
    await openssl("req", "-newkey", "rsa:2048", "-nodes", "-keyout", `${name}.key`, "-out", `${name}.csr`, "-subj", `/CN=${name}`);
    await openssl("x509", "-req", "-in", `${name}.csr`, "-CA", "ca.crt", "-CAkey", "ca.key", "-CAcreateserial", "-out", `${name}.crt`, "-days", "1", "-extfile", `${name}.ext`);
  };
  await sign("member", "subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth,clientAuth\n");
  await sign("client", "extendedKeyUsage=clientAuth\n");
  return {
    caFile: join(dir, "ca.crt"),
    serverCertFile: join(dir, "member.crt"),
    serverKeyFile: join(dir, "member.key"),
    clientCertFile: join(dir, "client.crt"),
    clientKeyFile: join(dir, "client.key"),
  };
}
