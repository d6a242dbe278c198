import { describe, expect, it } from "vitest";
import { explainEtcdError } from "./errors.js";

// Messages as @grpc/grpc-js gave them against a real etcd with --client-cert-auth (see packages/launcher/test).
const NO_CLIENT_CERT =
  "14 UNAVAILABLE: No connection established. Last error: 80EC8633497F0000:error:0A000412:SSL routines:ssl3_read_bytes:sslv3 alert bad certificate:../deps/openssl/openssl/ssl/record/rec_layer_s3.c:1601:SSL alert number 42\n (2026-11-29T21:36:11.657Z). Resolution note: ";
const UNTRUSTED_SERVER = "14 UNAVAILABLE: No connection established. Last error: Error: unable to verify the first certificate. Resolution note: ";

describe("explainEtcdError", () => {
  it.each([
    [NO_CLIENT_CERT, /^etcd refused our client certificate: .*\(14 UNAVAILABLE: .*SSL alert number 42\)$/],
    [UNTRUSTED_SERVER, /^etcd's certificate is not signed by the CA file given .*the first certificate\.\)$/],
    ["14 UNAVAILABLE: No connection established. Last error: connect ECONNREFUSED 127.0.0.1:1", /^nothing is listening at this URL/],
    ["cannot read the etcd CA file /x.crt: ENOENT", /^cannot read the etcd CA file \/x\.crt: ENOENT$/],
  ])("explains %j in one line", (message, expected) => {
    const line = explainEtcdError(new Error(message));
    expect(line).toMatch(expected);
    expect(line).not.toContain("\n");
    expect(line).not.toContain("Resolution note");
  });
});
