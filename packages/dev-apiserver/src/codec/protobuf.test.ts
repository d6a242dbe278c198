import { describe, expect, it } from "vitest";
import { parseBody } from "./body.js";
import { decodeProtobuf, PROTOBUF_MAGIC } from "./protobuf.js";
import { PROTOBUF_SCHEMA } from "./protobuf-schema.js";

// Bodies kubectl v1.32 sent, captured: `kubectl create deployment lab-sleeper --image=mr.io/lab-sleeper`, and
// `kubectl create deployment web --image=nginx:1.27 --port=80 --replicas=3 -n kube-system -- sleep 10`.
const LAB_SLEEPER =
  "azhzAAoVCgdhcHBzL3YxEgpEZXBsb3ltZW50Et4BCi8KC2xhYi1zbGVlcGVyEgAaACIAKgAyADgAQgBaEgoDYXBwEgtsYWItc2xlZXBlchKcAQgBEhQKEgoDYXBwEgtsYWItc2xlZXBlchp6CiQKABIAGgAiACoAMgA4AEIAWhIKA2FwcBILbGFiLXNsZWVwZXISUhI0CgtsYWItc2xlZXBlchIRbXIuaW8vbGFiLXNsZWVwZXIqAEIAagByAIABAIgBAJABAKIBABoAMgBCAEoAUgBYAGAAaACCAQCKAQCaAQDCAQAiAgoAKAA4ABoMCAAQABgAIAAoADgAGgAiAA==";
const WEB =
  "azhzAAoVCgdhcHBzL3YxEgpEZXBsb3ltZW50EtMBCioKA3dlYhIAGgtrdWJlLXN5c3RlbSIAKgAyADgAQgBaCgoDYXBwEgN3ZWISlgEIAxIMCgoKA2FwcBIDd2ViGnwKHAoAEgAaACIAKgAyADgAQgBaCgoDYXBwEgN3ZWISXBI+CgVuZ2lueBIKbmdpbng6MS4yNxoFc2xlZXAaAjEwKgAyCgoAEAAYUCIAKgBCAGoAcgCAAQCIAQCQAQCiAQAaADIAQgBKAFIAWABgAGgAggEAigEAmgEAwgEAIgIKACgAOAAaDAgAEAAYACAAKAA4ABoAIgA=";
// `kubectl create deployment web2 --image=nginx:1.27 --image=busybox --replicas=0`: replicas is a pointer, so 0 is sent and kept.
const WEB2 =
  "azhzAAoVCgdhcHBzL3YxEgpEZXBsb3ltZW50Et4BCiEKBHdlYjISABoAIgAqADIAOABCAFoLCgNhcHASBHdlYjISqgEIABINCgsKA2FwcBIEd2ViMhqOAQodCgASABoAIgAqADIAOABCAFoLCgNhcHASBHdlYjISbRInCgVuZ2lueBIKbmdpbng6MS4yNyoAQgBqAHIAgAEAiAEAkAEAogEAEiYKB2J1c3lib3gSB2J1c3lib3gqAEIAagByAIABAIgBAJABAKIBABoAMgBCAEoAUgBYAGAAaACCAQCKAQCaAQDCAQAiAgoAKAA4ABoMCAAQABgAIAAoADgAGgAiAA==";
const PROTOBUF = "application/vnd.kubernetes.protobuf";

/** envelope wraps object bytes in the magic and a runtime.Unknown for apiVersion/kind. */
function envelope(apiVersion: string, kind: string, raw: Buffer): Buffer {
  const field = (number: number, bytes: Buffer): Buffer => Buffer.concat([Buffer.from([(number << 3) | 2, bytes.length]), bytes]);
  const typeMeta = Buffer.concat([field(1, Buffer.from(apiVersion)), field(2, Buffer.from(kind))]);
  return Buffer.concat([PROTOBUF_MAGIC, field(1, typeMeta), field(2, raw)]);
}

describe("protobuf bodies", () => {
  it("reads kubectl create deployment's Deployment as the JSON kubectl would have sent", () => {
    expect(parseBody(Buffer.from(LAB_SLEEPER, "base64"), PROTOBUF)).toEqual({
      apiVersion: "apps/v1",
      kind: "Deployment",
      metadata: { name: "lab-sleeper", labels: { app: "lab-sleeper" } },
      spec: {
        replicas: 1,
        selector: { matchLabels: { app: "lab-sleeper" } },
        template: { metadata: { labels: { app: "lab-sleeper" } }, spec: { containers: [{ name: "lab-sleeper", image: "mr.io/lab-sleeper" }] } },
      },
    });
  });

  it("reads the namespace, replicas, a command and a port, and keeps a pointer field's zero", () => {
    const web = decodeProtobuf(Buffer.from(WEB, "base64"), PROTOBUF_SCHEMA);
    expect(web["metadata"]).toEqual({ name: "web", namespace: "kube-system", labels: { app: "web" } });
    expect(web["spec"]).toMatchObject({ replicas: 3, template: { spec: { containers: [{ name: "nginx", image: "nginx:1.27", command: ["sleep", "10"], ports: [{ containerPort: 80 }] }] } } });
    const web2 = decodeProtobuf(Buffer.from(WEB2, "base64"), PROTOBUF_SCHEMA);
    expect(web2["spec"]).toMatchObject({ replicas: 0, template: { spec: { containers: [{ name: "nginx" }, { name: "busybox", image: "busybox" }] } } });
  });

  it("skips an unknown field holding zero, refuses one holding a value with 415, and a broken body with 400", () => {
    // Deployment field 15 (not in the schema) as an empty string, then as "x".
    expect(decodeProtobuf(envelope("apps/v1", "Deployment", Buffer.from([0x7a, 0x00])), PROTOBUF_SCHEMA)).toEqual({ apiVersion: "apps/v1", kind: "Deployment" });
    expect(() => decodeProtobuf(envelope("apps/v1", "Deployment", Buffer.from([0x7a, 0x01, 0x78])), PROTOBUF_SCHEMA)).toThrow(expect.objectContaining({ code: 415 }));
    expect(() => decodeProtobuf(envelope("apps/v1", "Deployment", Buffer.from([0x12, 0x05, 0x00])), PROTOBUF_SCHEMA)).toThrow(expect.objectContaining({ code: 400 }));
    expect(() => parseBody(Buffer.from("not protobuf"), PROTOBUF)).toThrow(expect.objectContaining({ code: 400 }));
  });

  it("refuses kinds it has no schema for with 415", () => {
    expect(() => parseBody(envelope("v1", "Service", Buffer.alloc(0)), PROTOBUF)).toThrow(/only for apps\/v1\/Deployment, not v1\/Service/);
    expect(() => parseBody(Buffer.from("k8s\u0000"), PROTOBUF)).toThrow(expect.objectContaining({ code: 415 }));
  });
});
