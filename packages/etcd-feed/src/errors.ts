/**
 * What a gRPC failure to reach etcd means, by the text OpenSSL and gRPC put in it. gRPC wraps each in one long
 * "14 UNAVAILABLE: No connection established. Last error: ..." line with OpenSSL's source file in it, which tells an
 * operator nothing about which file to fix; the first pattern that matches wins.
 */
const EXPLANATIONS: readonly (readonly [RegExp, string])[] = [
  // TLS alerts 42 (bad_certificate), 48 (unknown_ca) and 116 (certificate_required, TLS 1.3): etcd's verdict on ours.
  [/alert (bad certificate|unknown ca|certificate required)|SSL alert number (42|48|116)/i, "etcd refused our client certificate: none was given, or it is not signed by a CA etcd trusts (its --trusted-ca-file)"],
  [/unable to verify the first certificate|self[- ]signed certificate|unable to get local issuer|certificate verify failed/i, "etcd's certificate is not signed by the CA file given (or no CA file was given)"],
  [/certificate has expired|certificate is not yet valid/i, "a certificate is outside its validity period (etcd's or ours)"],
  [/Hostname\/IP does not match|ERR_TLS_CERT_ALTNAME_INVALID/i, "etcd's certificate is not for the host in the URL"],
  [/wrong version number|packet length too long|http\/1\.x server/i, "this URL does not speak the same protocol as etcd (https:// to a plain server, or http:// to a TLS one)"],
  [/ECONNREFUSED|connection refused/i, "nothing is listening at this URL"],
  [/DEADLINE_EXCEEDED|timed? ?out/i, "etcd did not answer in time"],
];

/**
 * explainEtcdError turns an error from the etcd client into one line an operator can act on: what went wrong in
 * words (a refused certificate, an untrusted CA, nothing listening), followed by gRPC's own first line, cut short.
 * Errors that are not about the connection (a missing file, a bad argument) come back as their message.
 */
export function explainEtcdError(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const detail = message.split("\n")[0]!.replace(/\s*Resolution note:.*$/, "").slice(0, 300);
  for (const [pattern, explanation] of EXPLANATIONS) if (pattern.test(message)) return `${explanation} (${detail})`;
  return detail;
}
