import { describe, expect, it } from "vitest";
import { parseBody } from "./body.js";
import { decodeProtobuf, PROTOBUF_MAGIC } from "./protobuf.js";
import { fieldsOf, KINDS, schema } from "./schema.js";

// Bodies kubectl v1.32 sent, captured: every `kubectl create` generator of a kind the server serves.
const BODIES = {
  // kubectl create deployment lab-sleeper --image=mr.io/lab-sleeper
  labSleeper: "azhzAAoVCgdhcHBzL3YxEgpEZXBsb3ltZW50Et4BCi8KC2xhYi1zbGVlcGVyEgAaACIAKgAyADgAQgBaEgoDYXBwEgtsYWItc2xlZXBlchKcAQgBEhQKEgoDYXBwEgtsYWItc2xlZXBlchp6CiQKABIAGgAiACoAMgA4AEIAWhIKA2FwcBILbGFiLXNsZWVwZXISUhI0CgtsYWItc2xlZXBlchIRbXIuaW8vbGFiLXNsZWVwZXIqAEIAagByAIABAIgBAJABAKIBABoAMgBCAEoAUgBYAGAAaACCAQCKAQCaAQDCAQAiAgoAKAA4ABoMCAAQABgAIAAoADgAGgAiAA==",
  // kubectl create deployment web --image=nginx:1.27 --port=80 --replicas=3 -n kube-system -- sleep 10
  web: "azhzAAoVCgdhcHBzL3YxEgpEZXBsb3ltZW50EtMBCioKA3dlYhIAGgtrdWJlLXN5c3RlbSIAKgAyADgAQgBaCgoDYXBwEgN3ZWISlgEIAxIMCgoKA2FwcBIDd2ViGnwKHAoAEgAaACIAKgAyADgAQgBaCgoDYXBwEgN3ZWISXBI+CgVuZ2lueBIKbmdpbng6MS4yNxoFc2xlZXAaAjEwKgAyCgoAEAAYUCIAKgBCAGoAcgCAAQCIAQCQAQCiAQAaADIAQgBKAFIAWABgAGgAggEAigEAmgEAwgEAIgIKACgAOAAaDAgAEAAYACAAKAA4ABoAIgA=",
  // kubectl create deployment web2 --image=nginx:1.27 --image=busybox --replicas=0: replicas is a pointer, so 0 is kept.
  web2: "azhzAAoVCgdhcHBzL3YxEgpEZXBsb3ltZW50Et4BCiEKBHdlYjISABoAIgAqADIAOABCAFoLCgNhcHASBHdlYjISqgEIABINCgsKA2FwcBIEd2ViMhqOAQodCgASABoAIgAqADIAOABCAFoLCgNhcHASBHdlYjISbRInCgVuZ2lueBIKbmdpbng6MS4yNyoAQgBqAHIAgAEAiAEAkAEAogEAEiYKB2J1c3lib3gSB2J1c3lib3gqAEIAagByAIABAIgBAJABAKIBABoAMgBCAEoAUgBYAGAAaACCAQCKAQCaAQDCAQAiAgoAKAA4ABoMCAAQABgAIAAoADgAGgAiAA==",
  // kubectl create deployment gen-dep --image=nginx --port=80 --replicas=2
  genDep: "azhzAAoVCgdhcHBzL3YxEgpEZXBsb3ltZW50EsgBCicKB2dlbi1kZXASABoAIgAqADIAOABCAFoOCgNhcHASB2dlbi1kZXASjgEIAhIQCg4KA2FwcBIHZ2VuLWRlcBpwCiAKABIAGgAiACoAMgA4AEIAWg4KA2FwcBIHZ2VuLWRlcBJMEi4KBW5naW54EgVuZ2lueCoAMgoKABAAGFAiACoAQgBqAHIAgAEAiAEAkAEAogEAGgAyAEIASgBSAFgAYABoAIIBAIoBAJoBAMIBACICCgAoADgAGgwIABAAGAAgACgAOAAaACIA",
  // kubectl create namespace gen-ns
  namespace: "azhzAAoPCgJ2MRIJTmFtZXNwYWNlEh4KFgoGZ2VuLW5zEgAaACIAKgAyADgAQgASABoCCgAaACIA",
  // kubectl create service clusterip gen-cip --tcp=80
  clusterIP: "azhzAAoNCgJ2MRIHU2VydmljZRJvCicKB2dlbi1jaXASABoAIgAqADIAOABCAFoOCgNhcHASB2dlbi1jaXASQAoVCgI4MBIDVENQGFAiBggAEFAaACgAEg4KA2FwcBIHZ2VuLWNpcBoAIglDbHVzdGVySVA6AEIAUgBaAGAAaAAaAgoAGgAiAA==",
  // kubectl create service clusterip gen-multi --tcp=80:8080 --tcp=443:8443 -n gen-ns
  multi: "azhzAAoNCgJ2MRIHU2VydmljZRKgAQoxCglnZW4tbXVsdGkSABoGZ2VuLW5zIgAqADIAOABCAFoQCgNhcHASCWdlbi1tdWx0aRJnChsKBzgwLTgwODASA1RDUBhQIgcIABCQPxoAKAAKHQoINDQzLTg0NDMSA1RDUBi7AyIHCAAQ+0EaACgAEhAKA2FwcBIJZ2VuLW11bHRpGgAiCUNsdXN0ZXJJUDoAQgBSAFoAYABoABoCCgAaACIA",
  // kubectl create service clusterip gen-headless --clusterip=None
  headless: "azhzAAoNCgJ2MRIHU2VydmljZRJrCjEKDGdlbi1oZWFkbGVzcxIAGgAiACoAMgA4AEIAWhMKA2FwcBIMZ2VuLWhlYWRsZXNzEjISEwoDYXBwEgxnZW4taGVhZGxlc3MaBE5vbmUiCUNsdXN0ZXJJUDoAQgBSAFoAYABoABoCCgAaACIA",
  // kubectl create service nodeport gen-np --tcp=80:8080 --node-port=30080
  nodePort: "azhzAAoNCgJ2MRIHU2VydmljZRJzCiUKBmdlbi1ucBIAGgAiACoAMgA4AEIAWg0KA2FwcBIGZ2VuLW5wEkYKHQoHODAtODA4MBIDVENQGFAiBwgAEJA/GgAogOsBEg0KA2FwcBIGZ2VuLW5wGgAiCE5vZGVQb3J0OgBCAFIAWgBgAGgAGgIKABoAIgA=",
  // kubectl create service loadbalancer gen-lb --tcp=5678:8080
  loadBalancer: "azhzAAoNCgJ2MRIHU2VydmljZRJ4CiUKBmdlbi1sYhIAGgAiACoAMgA4AEIAWg0KA2FwcBIGZ2VuLWxiEksKHgoJNTY3OC04MDgwEgNUQ1AYriwiBwgAEJA/GgAoABINCgNhcHASBmdlbi1sYhoAIgxMb2FkQmFsYW5jZXI6AEIAUgBaAGAAaAAaAgoAGgAiAA==",
  // kubectl create service externalname gen-ext --external-name db.example.org
  externalName: "azhzAAoNCgJ2MRIHU2VydmljZRJpCicKB2dlbi1leHQSABoAIgAqADIAOABCAFoOCgNhcHASB2dlbi1leHQSOhIOCgNhcHASB2dlbi1leHQaACIMRXh0ZXJuYWxOYW1lOgBCAFIOZGIuZXhhbXBsZS5vcmdaAGAAaAAaAgoAGgAiAA==",
};
const PROTOBUF = "application/vnd.kubernetes.protobuf";
const read = (base64: string): unknown => parseBody(Buffer.from(base64, "base64"), PROTOBUF);

/** envelope wraps object bytes in the magic and a runtime.Unknown for apiVersion/kind. */
function envelope(apiVersion: string, kind: string, raw: Buffer): Buffer {
  const field = (number: number, bytes: Buffer): Buffer => Buffer.concat([Buffer.from([(number << 3) | 2, bytes.length]), bytes]);
  const typeMeta = Buffer.concat([field(1, Buffer.from(apiVersion)), field(2, Buffer.from(kind))]);
  return Buffer.concat([PROTOBUF_MAGIC, field(1, typeMeta), field(2, raw)]);
}

describe("protobuf bodies", () => {
  it("reads kubectl create deployment's Deployment as the JSON kubectl would have sent", () => {
    expect(read(BODIES.labSleeper)).toEqual({
      apiVersion: "apps/v1",
      kind: "Deployment",
      metadata: { name: "lab-sleeper", labels: { app: "lab-sleeper" } },
      spec: {
        replicas: 1,
        selector: { matchLabels: { app: "lab-sleeper" } },
        template: { metadata: { labels: { app: "lab-sleeper" } }, spec: { containers: [{ name: "lab-sleeper", image: "mr.io/lab-sleeper" }] } },
      },
    });
    expect(read(BODIES.genDep)).toMatchObject({ spec: { replicas: 2, template: { spec: { containers: [{ name: "nginx", image: "nginx", ports: [{ containerPort: 80 }] }] } } } });
  });

  it("reads the namespace, replicas, a command and a port, and keeps a pointer field's zero", () => {
    const web = decodeProtobuf(Buffer.from(BODIES.web, "base64"));
    expect(web["metadata"]).toEqual({ name: "web", namespace: "kube-system", labels: { app: "web" } });
    expect(web["spec"]).toMatchObject({ replicas: 3, template: { spec: { containers: [{ name: "nginx", image: "nginx:1.27", command: ["sleep", "10"], ports: [{ containerPort: 80 }] }] } } });
    const web2 = decodeProtobuf(Buffer.from(BODIES.web2, "base64"));
    expect(web2["spec"]).toMatchObject({ replicas: 0, template: { spec: { containers: [{ name: "nginx" }, { name: "busybox", image: "busybox" }] } } });
  });

  it("reads kubectl create namespace's Namespace", () => {
    expect(read(BODIES.namespace)).toEqual({ apiVersion: "v1", kind: "Namespace", metadata: { name: "gen-ns" } });
  });

  it.each([
    ["clusterip", BODIES.clusterIP, { metadata: { name: "gen-cip", labels: { app: "gen-cip" } }, spec: { type: "ClusterIP", selector: { app: "gen-cip" }, ports: [{ name: "80", protocol: "TCP", port: 80, targetPort: 80 }] } }],
    ["clusterip with two ports, in a namespace", BODIES.multi, { metadata: { name: "gen-multi", namespace: "gen-ns", labels: { app: "gen-multi" } }, spec: { type: "ClusterIP", selector: { app: "gen-multi" }, ports: [{ name: "80-8080", protocol: "TCP", port: 80, targetPort: 8080 }, { name: "443-8443", protocol: "TCP", port: 443, targetPort: 8443 }] } }],
    ["clusterip --clusterip=None", BODIES.headless, { metadata: { name: "gen-headless", labels: { app: "gen-headless" } }, spec: { type: "ClusterIP", clusterIP: "None", selector: { app: "gen-headless" } } }],
    ["nodeport", BODIES.nodePort, { metadata: { name: "gen-np", labels: { app: "gen-np" } }, spec: { type: "NodePort", selector: { app: "gen-np" }, ports: [{ name: "80-8080", protocol: "TCP", port: 80, targetPort: 8080, nodePort: 30080 }] } }],
    ["loadbalancer", BODIES.loadBalancer, { metadata: { name: "gen-lb", labels: { app: "gen-lb" } }, spec: { type: "LoadBalancer", selector: { app: "gen-lb" }, ports: [{ name: "5678-8080", protocol: "TCP", port: 5678, targetPort: 8080 }] } }],
    ["externalname", BODIES.externalName, { metadata: { name: "gen-ext", labels: { app: "gen-ext" } }, spec: { type: "ExternalName", externalName: "db.example.org", selector: { app: "gen-ext" } } }],
  ])("reads kubectl create service %s's Service", (_title, body, expected) => {
    expect(read(body)).toEqual({ apiVersion: "v1", kind: "Service", ...expected });
  });

  it("skips an unknown field holding zero, refuses one holding a value with 415, and a broken body with 400", () => {
    // Deployment field 15 (not in the schema) as an empty string, then as "x".
    expect(decodeProtobuf(envelope("apps/v1", "Deployment", Buffer.from([0x7a, 0x00])))).toEqual({ apiVersion: "apps/v1", kind: "Deployment" });
    expect(() => decodeProtobuf(envelope("apps/v1", "Deployment", Buffer.from([0x7a, 0x01, 0x78])))).toThrow(expect.objectContaining({ code: 415 }));
    // An unknown field deep inside: ServiceSpec (field 2 of Service) with field 99 set.
    const spec = Buffer.from([0x98, 0x06, 0x01]); // field 99, varint 1
    expect(() => decodeProtobuf(envelope("v1", "Service", Buffer.concat([Buffer.from([0x12, spec.length]), spec])))).toThrow(/field 99 of ServiceSpec/);
    expect(() => decodeProtobuf(envelope("apps/v1", "Deployment", Buffer.from([0x12, 0x05, 0x00])))).toThrow(expect.objectContaining({ code: 400 }));
    expect(() => parseBody(Buffer.from("not protobuf"), PROTOBUF)).toThrow(expect.objectContaining({ code: 400 }));
  });

  it("refuses kinds the server does not serve with 415", () => {
    expect(() => parseBody(envelope("v1", "Secret", Buffer.alloc(0)), PROTOBUF)).toThrow(/not v1\/Secret/);
    expect(() => parseBody(Buffer.from("k8s\u0000"), PROTOBUF)).toThrow(expect.objectContaining({ code: 415 }));
  });

  it("has a message for every served kind, and every table line reads", () => {
    const { root, fields } = schema();
    for (const message of Object.values(KINDS)) expect(root.lookupType(message).fieldsArray.length).toBeGreaterThan(0);
    for (const specs of fields.values()) expect(new Set(specs.map((f) => f.name)).size).toBe(specs.length);
    expect(fieldsOf("replicas=1:int32? selector=2:LabelSelector? labels=11:map<string> items=3:Container[] handler=1:ProbeHandler^ status=3:bytes!")).toMatchObject([
      { name: "replicas", id: 1, type: "int32", pointer: true },
      { name: "selector", type: "LabelSelector" },
      { name: "labels", map: "string" },
      { name: "items", type: "Container", repeated: true },
      { name: "handler", inline: true },
      { name: "status", ignored: true },
    ]);
  });
});
