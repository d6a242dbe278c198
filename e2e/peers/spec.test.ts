import { afterAll, beforeAll, describe, it } from "vitest";
import { CASES, FIXTURE, SERVICE_RANGE, UPSTREAM } from "./dns-spec.cases.js";
import { check, title } from "./peer-case.js";
import { startPeerCluster, type PeerCluster } from "./peer-cluster.js";
import { startUpstreamStub, type UpstreamStub } from "./upstream-stub.js";

// The DNS specification's examples, each through the whole path: API objects, kube2sky's records, skydns's answer.

describe("kubernetes/dns docs/specification.md, schema 1.1.0", () => {
  let cluster: PeerCluster;
  let upstream: UpstreamStub;
  beforeAll(async () => {
    const { name, a, aaaa } = UPSTREAM;
    upstream = await startUpstreamStub({
      [`${name} A`]: [{ name, type: "A", class: "IN", ttl: 28715, data: a }],
      [`${name} AAAA`]: [{ name, type: "AAAA", class: "IN", ttl: 28715, data: aaaa }],
    });
    cluster = await startPeerCluster({ objects: FIXTURE, serviceRange: SERVICE_RANGE, upstream: upstream.address });
  }, 60_000);
  afterAll(async () => {
    await cluster?.stop();
    await upstream?.stop();
  });
  it.each(CASES.map((c) => [title(c), c] as const))("%s", async (_title, c) => check((name, type) => cluster.query(name, type), c, "subset"));
});
