/** EtcdTls makes a member serve its clients over TLS (its peers stay plain HTTP: they only meet on loopback). */
export interface EtcdTls {
  /** The member's certificate and key. Our own probes present them as a client certificate too, so the certificate needs clientAuth as well as serverAuth. */
  readonly certFile: string;
  readonly keyFile: string;
  /** The CA bundle that signs client certificates (and, for the probes, the member's own). */
  readonly caFile: string;
  /** Refuse clients without a certificate that caFile signed (etcd's --client-cert-auth). */
  readonly clientCertAuth?: boolean;
}

/** tlsArgs are the etcd flags that make a member serve clients as tls says. */
export function tlsArgs(tls: EtcdTls | undefined): string[] {
  if (tls === undefined) return [];
  return [
    "--cert-file", tls.certFile,
    "--key-file", tls.keyFile,
    "--trusted-ca-file", tls.caFile,
    ...(tls.clientCertAuth === true ? ["--client-cert-auth"] : []),
  ];
}

/** servingLine is what etcd 3.4 prints once this very process serves clients on host:port, with or without TLS. */
export function servingLine(tls: EtcdTls | undefined, host: string, port: number): string {
  return tls === undefined ? `serving insecure client requests on ${host}:${port}` : `serving client requests on ${host}:${port}`;
}
