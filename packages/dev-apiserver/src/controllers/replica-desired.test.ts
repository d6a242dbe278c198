import { describe, expect, it } from "vitest";
import { planReplicas, podFor, POD_TEMPLATE_HASH_LABEL, templateHash, workloadRefsOf, workloadStatus } from "./replica-desired.js";
import { selectorFromMap } from "../api/selectors.js";
import type { KubeObject } from "../api/types.js";

const template = { metadata: { labels: { run: "my-nginx" }, annotations: { note: "x" } }, spec: { containers: [{ name: "my-nginx", image: "nginx" }] } };
const owner = (extra: Record<string, unknown> = {}): KubeObject => ({
  apiVersion: "apps/v1",
  kind: "Deployment",
  metadata: { name: "my-nginx", namespace: "default", uid: "uid-a", generation: 3 },
  spec: { replicas: 2, selector: { matchLabels: { run: "my-nginx" } }, template, strategy: { type: "RollingUpdate", rollingUpdate: { maxUnavailable: "25%", maxSurge: "25%" } }, ...extra },
});
const selector = selectorFromMap({ run: "my-nginx" });
const HASH = templateHash(template);

function pod(name: string, options: { uid?: string | null; hash?: string; labels?: Record<string, string>; created?: string; ready?: boolean | string; phase?: string } = {}): KubeObject {
  const labels = options.labels ?? { run: "my-nginx", [POD_TEMPLATE_HASH_LABEL]: options.hash ?? HASH };
  const ownerReferences = options.uid === null ? undefined : [{ apiVersion: "apps/v1", kind: "Deployment", name: "my-nginx", uid: options.uid ?? "uid-a", controller: true, blockOwnerDeletion: true }];
  const readyAt = typeof options.ready === "string" ? options.ready : "2026-01-01T00:00:00Z";
  const conditions = options.ready === false ? [{ type: "Ready", status: "False" }] : [{ type: "Ready", status: "True", lastTransitionTime: readyAt }];
  return { metadata: { name, namespace: "default", uid: `pod-${name}`, labels, ownerReferences, creationTimestamp: options.created ?? "2026-01-01T00:00:00Z" }, status: { phase: options.phase ?? "Running", conditions } };
}

const names = (pods: readonly KubeObject[]): string[] => pods.map((p) => p.metadata.name ?? "");

describe("templateHash", () => {
  it("is stable, independent of key order, and written in the safe alphabet", () => {
    expect(HASH).toMatch(/^[bcdfghjklmnpqrstvwxz2456789]{1,10}$/);
    expect(templateHash({ spec: template.spec, metadata: template.metadata })).toBe(HASH);
    expect(templateHash({ ...template, spec: { containers: [{ name: "my-nginx", image: "nginx:1.28" }] } })).not.toBe(HASH);
  });
});

describe("podFor", () => {
  it("makes a Deployment's pod from its template: generated name with the hash, labels, annotations, owner reference", () => {
    const made = podFor("Deployment", owner(), HASH);
    expect(made.metadata).toEqual({
      generateName: `my-nginx-${HASH}-`,
      namespace: "default",
      labels: { run: "my-nginx", [POD_TEMPLATE_HASH_LABEL]: HASH },
      annotations: { note: "x" },
      ownerReferences: [{ apiVersion: "apps/v1", kind: "Deployment", name: "my-nginx", uid: "uid-a", controller: true, blockOwnerDeletion: true }],
    });
    expect(made["spec"]).toEqual(template.spec);
    expect(made["spec"]).not.toBe(template.spec);
  });

  it("names a ReplicationController's pods <rc>-xxxxx, without a hash label, and keeps generated names within 63 characters", () => {
    const rc: KubeObject = { kind: "ReplicationController", metadata: { name: "kube-dns-v11", namespace: "kube-system", uid: "uid-r" }, spec: { template } };
    const made = podFor("ReplicationController", rc, undefined);
    expect([made.metadata.generateName, made.metadata.labels, made.metadata.ownerReferences?.[0]?.apiVersion]).toEqual(["kube-dns-v11-", { run: "my-nginx" }, "v1"]);
    const long = podFor("Deployment", { ...owner(), metadata: { ...owner().metadata, name: "d".repeat(60) } }, HASH);
    expect(long.metadata.generateName).toHaveLength(58);
  });
});

describe("workloadRefsOf", () => {
  it("finds the owner references to served workload kinds only", () => {
    const mixed = pod("a");
    mixed.metadata.ownerReferences = [
      { apiVersion: "apps/v1", kind: "ReplicaSet", name: "x", uid: "1" },
      { apiVersion: "v1", kind: "ReplicationController", name: "y", uid: "2" },
      { apiVersion: "extensions/v1beta1", kind: "Deployment", name: "z", uid: "3" },
    ];
    expect(workloadRefsOf(mixed).map((r) => r.name)).toEqual(["y"]);
  });
});

describe("planReplicas", () => {
  it("creates what is missing and counts only the pods it controls: not strays, not another workload's", () => {
    const pods = [pod("mine"), pod("stray", { uid: null }), pod("theirs", { uid: "uid-b" })];
    const plan = planReplicas(owner(), pods, selector, HASH, 100);
    expect([plan.create, names(plan.remove), names(plan.release), names(plan.keep), plan.truncated]).toEqual([1, [], [], ["mine"], false]);
  });

  it("removes the surplus, not-ready pods first and then the newest", () => {
    const pods = [pod("old", { created: "2026-01-01T00:00:00Z" }), pod("new", { created: "2026-01-03T00:00:00Z" }), pod("mid", { created: "2026-01-02T00:00:00Z" }), pod("sick", { ready: false })];
    const plan = planReplicas(owner({ replicas: 1 }), pods, selector, HASH, 100);
    expect([plan.create, names(plan.remove), names(plan.keep)]).toEqual([0, ["sick", "new", "mid"], ["old"]]);
  });

  it("replaces every pod of an older template of a Deployment at once", () => {
    const pods = [pod("a", { hash: "old" }), pod("b", { hash: "old" })];
    const plan = planReplicas(owner(), pods, selector, HASH, 100);
    expect([plan.create, names(plan.remove), names(plan.keep)]).toEqual([2, ["a", "b"], []]);
  });

  it("releases owned pods whose labels the selector no longer matches, and leaves finished pods uncounted", () => {
    const pods = [pod("relabelled", { labels: { run: "elsewhere" } }), pod("done", { phase: "Succeeded" }), pod("ok")];
    const plan = planReplicas(owner(), pods, selector, HASH, 100);
    expect([plan.create, names(plan.release), names(plan.keep)]).toEqual([1, ["relabelled"], ["ok"]]);
  });

  it("cuts a large change to the limit and says so", () => {
    const plan = planReplicas(owner({ replicas: 250 }), [], selector, HASH, 100);
    expect([plan.create, plan.truncated]).toEqual([100, true]);
  });
});

describe("workloadStatus", () => {
  const now = Date.parse("2026-01-01T00:01:00Z");

  it("reports a Deployment's counts, observedGeneration and conditions, keeping condition times while they hold", () => {
    const { status, recheckMs } = workloadStatus("Deployment", owner(), [pod("a"), pod("b")], HASH, now);
    expect(recheckMs).toBeUndefined();
    expect(status).toMatchObject({ observedGeneration: 3, replicas: 2, updatedReplicas: 2, readyReplicas: 2, availableReplicas: 2 });
    expect(status["unavailableReplicas"]).toBeUndefined();
    expect(status["conditions"]).toEqual([
      { type: "Available", status: "True", lastUpdateTime: "2026-01-01T00:01:00Z", lastTransitionTime: "2026-01-01T00:01:00Z", reason: "MinimumReplicasAvailable", message: "Deployment has minimum availability." },
      { type: "Progressing", status: "True", lastUpdateTime: "2026-01-01T00:01:00Z", lastTransitionTime: "2026-01-01T00:01:00Z", reason: "NewReplicaSetAvailable", message: 'Deployment "my-nginx" has successfully progressed.' },
    ]);
    const again = workloadStatus("Deployment", { ...owner(), status }, [pod("a"), pod("b")], HASH, now + 60_000);
    expect(again.status).toEqual(status);
  });

  it("says a Deployment short of pods is progressing and, past maxUnavailable, not available", () => {
    const { status } = workloadStatus("Deployment", owner({ replicas: 4 }), [pod("a"), pod("b")], HASH, now);
    expect(status).toMatchObject({ replicas: 2, availableReplicas: 2, unavailableReplicas: 2 });
    const conditions = status["conditions"] as { reason: string; status: string }[];
    expect(conditions.map((c) => [c.status, c.reason])).toEqual([["False", "MinimumReplicasUnavailable"], ["True", "ReplicaSetUpdated"]]);
  });

  it("counts a pod available once it has been ready for minReadySeconds, and says when to look again", () => {
    const { status, recheckMs } = workloadStatus("Deployment", owner({ minReadySeconds: 30 }), [pod("a", { ready: "2026-01-01T00:00:50Z" }), pod("b")], HASH, now);
    expect([status["readyReplicas"], status["availableReplicas"], recheckMs]).toEqual([2, 1, 20_000]);
  });

  it("reports a ReplicationController's replicas (even 0), fully labelled, ready and available pods", () => {
    const rc: KubeObject = { kind: "ReplicationController", metadata: { name: "rc", uid: "uid-r", generation: 2 }, spec: { replicas: 2, selector: { run: "my-nginx" }, template } };
    expect(workloadStatus("ReplicationController", rc, [pod("a"), pod("b", { ready: false, labels: { run: "my-nginx", extra: "1" } })], undefined, now).status).toEqual({
      replicas: 2,
      fullyLabeledReplicas: 2,
      readyReplicas: 1,
      availableReplicas: 1,
      observedGeneration: 2,
    });
    expect(workloadStatus("ReplicationController", rc, [], undefined, now).status).toEqual({ replicas: 0, observedGeneration: 2 });
  });
});
