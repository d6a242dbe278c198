import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startDevApiServer, type DevApiServer } from "../src/index.js";
import { service, useHarness } from "./harness.js";

describe("errors are Kubernetes Status objects", () => {
  const harness = useHarness();
  const services = "/api/v1/namespaces/default/services";



  it("404 NotFound for a missing object, with details", async () => {
    const { code, body } = await harness().request("GET", `${services}/nope`);
    expect(code).toBe(404);
    expect(body).toEqual({ kind: "Status", apiVersion: "v1", metadata: {}, status: "Failure", message: 'services "nope" not found', reason: "NotFound", details: { name: "nope", kind: "services" }, code: 404 });
  });

  it("409 AlreadyExists for a second create, 409 Conflict for a stale update", async () => {
    const first = await harness().request("POST", services, service("dup"));
    expect(first.code).toBe(201);
    const again = await harness().request("POST", services, service("dup"));
    expect([again.code, again.body.reason, again.body.message]).toEqual([409, "AlreadyExists", 'services "dup" already exists']);
    const current = first.body;
    const updated = await harness().request("PUT", `${services}/dup`, { ...current, metadata: { ...current.metadata, labels: { a: "1" } } });
    expect(updated.code).toBe(200);
    const stale = await harness().request("PUT", `${services}/dup`, { ...current, metadata: { ...current.metadata, labels: { a: "2" } } });
    expect([stale.code, stale.body.reason]).toEqual([409, "Conflict"]);
    expect(stale.body.message).toContain("the object has been modified");
  });

  it("422 Invalid with causes for a bad name or a missing port", async () => {
    const badName = await harness().request("POST", services, service("Not_A_Name"));
    expect([badName.code, badName.body.reason]).toEqual([422, "Invalid"]);
    expect((badName.body["details"] as { causes: { field: string }[] }).causes[0]?.field).toBe("metadata.name");
    const noPorts = await harness().request("POST", services, { metadata: { name: "noports" }, spec: {} });
    expect([noPorts.code, noPorts.body.message]).toEqual([422, 'Service "noports" is invalid: spec.ports: Required value']);
  });

  it("400 BadRequest for bad JSON, bad YAML, a wrong kind and a bad selector", async () => {
    for (const [body, type] of [["{not json", "application/json"], ["a: [unclosed", "application/yaml"], [JSON.stringify({ kind: "Pod", metadata: { name: "x" } }), "application/json"]]) {
      const response = await harness().request("POST", services, body, type);
      expect([response.code, response.body.kind, response.body.reason]).toEqual([400, "Status", "BadRequest"]);
    }
    const selector = await harness().request("GET", `${services}?labelSelector=${encodeURIComponent("a in (x")}`);
    expect([selector.code, selector.body.reason]).toEqual([400, "BadRequest"]);
  });

  it("reads a YAML body", async () => {
    const yaml = "apiVersion: v1\nkind: Service\nmetadata:\n  name: from-yaml\nspec:\n  ports:\n  - port: 53\n    protocol: UDP\n";
    const { code, body } = await harness().request("POST", services, yaml, "application/yaml");
    expect(code).toBe(201);
    expect(body.spec?.["ports"]).toEqual([{ port: 53, protocol: "UDP", targetPort: 53 }]);
  });

  it("413 for a body over 3 MiB, 415 for protobuf of a kind it cannot read", async () => {
    const huge = await harness().request("POST", services, JSON.stringify({ metadata: { name: "big", annotations: { a: "x".repeat(3 * 1024 * 1024) } } }));
    expect([huge.code, huge.body.reason]).toEqual([413, "RequestEntityTooLarge"]);
    const proto = await harness().request("POST", services, "k8s\u0000", "application/vnd.kubernetes.protobuf");
    expect([proto.code, proto.body.reason]).toEqual([415, "UnsupportedMediaType"]);
  });

  it("404 for resources and groups not served, 405 for a method that does not fit, 403 for deleting a system namespace", async () => {
    expect((await harness().request("GET", "/apis/batch/v1/namespaces/default/jobs")).code).toBe(404);
    expect((await harness().request("GET", "/apis/batch/v1")).code).toBe(404);
    const method = await harness().request("POST", `${services}/dup`, service("dup"));
    expect([method.code, method.body.reason]).toEqual([405, "MethodNotAllowed"]);
    const system = await harness().request("DELETE", "/api/v1/namespaces/kube-system");
    expect([system.code, system.body.reason]).toEqual([403, "Forbidden"]);
  });

  it("404 for an object in a namespace that does not exist", async () => {
    const { code, body } = await harness().request("POST", "/api/v1/namespaces/nope/services", service("x"));
    expect([code, body.message]).toEqual([404, 'namespaces "nope" not found']);
  });

  describe("with --token", () => {
    let secured: DevApiServer;

    beforeAll(async () => {
      secured = await startDevApiServer({ etcdUrl: harness().etcd.clientUrl, token: "s3cret", logLevel: "silent" });
    });

    afterAll(async () => {
      await secured?.stop();
    });

    it("refuses requests without the bearer token with 401 and serves those with it", async () => {
      const anonymous = await fetch(`${secured.url}/api/v1/namespaces`);
      expect(anonymous.status).toBe(401);
      expect(((await anonymous.json()) as { reason: string }).reason).toBe("Unauthorized");
      const wrong = await fetch(`${secured.url}/api/v1/namespaces`, { headers: { authorization: "Bearer nope" } });
      expect(wrong.status).toBe(401);
      const allowed = await fetch(`${secured.url}/api/v1/namespaces`, { headers: { authorization: "Bearer s3cret" } });
      expect(allowed.status).toBe(200);
      expect((await fetch(`${secured.url}/healthz`)).status).toBe(200);
    });
  });
});
