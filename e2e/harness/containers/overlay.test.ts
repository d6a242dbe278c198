import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { overlay } from "./overlay.js";

const MANIFEST = `
kind: Deployment
metadata: { name: kube-dns }
spec:
  template:
    spec:
      volumes: [{ name: etcd-storage, emptyDir: {} }]
      containers:
        - { name: etcd, image: etcd, args: [--a] }
        - name: kube2sky
          image: kube2sky
          args: [--domain=cluster.local]
          env: [{ name: NODE_OPTIONS, value: "--max-old-space-size=160" }]
`;

describe("overlay", () => {
  it("merges containers, volumes and env by name, appends new names and keeps everything else", () => {
    const patch = `
spec:
  template:
    spec:
      volumes: [{ name: token, hostPath: { path: "\${DIR}" } }]
      containers:
        - name: kube2sky
          env: [{ name: KUBERNETES_SERVICE_PORT, value: "\${PORT}" }]
          volumeMounts: [{ name: token, mountPath: /var/run/secrets }]
`;
    const merged = parse(overlay(MANIFEST, patch, { DIR: "/tmp/sa", PORT: "6443" })) as {
      spec: { template: { spec: { volumes: unknown[]; containers: Record<string, unknown>[] } } };
    };
    const pod = merged.spec.template.spec;
    expect(pod.volumes).toEqual([{ name: "etcd-storage", emptyDir: {} }, { name: "token", hostPath: { path: "/tmp/sa" } }]);
    expect(pod.containers[0]).toEqual({ name: "etcd", image: "etcd", args: ["--a"] });
    expect(pod.containers[1]).toEqual({
      name: "kube2sky",
      image: "kube2sky",
      args: ["--domain=cluster.local"],
      env: [
        { name: "NODE_OPTIONS", value: "--max-old-space-size=160" },
        { name: "KUBERNETES_SERVICE_PORT", value: "6443" },
      ],
      volumeMounts: [{ name: "token", mountPath: "/var/run/secrets" }],
    });
  });

  it("replaces lists of unnamed values, such as args", () => {
    const patch = "spec: { template: { spec: { containers: [{ name: etcd, args: [--b] }] } } }";
    const merged = parse(overlay(MANIFEST, patch, {})) as { spec: { template: { spec: { containers: { args: string[] }[] } } } };
    expect(merged.spec.template.spec.containers[0]?.args).toEqual(["--b"]);
  });

  it("refuses a placeholder without a value, and a file of several objects", () => {
    expect(() => overlay(MANIFEST, "metadata: { name: \"${NAME}\" }", {})).toThrow(/\$\{NAME\} has no value/);
    expect(() => overlay(`${MANIFEST}\n---\n${MANIFEST}`, "{}", {})).toThrow(/2 objects/);
  });
});
