import { execFile } from "node:child_process";
import { randomUUID } from "node:crypto";
import { join } from "node:path";
import { promisify } from "node:util";
import { Etcd3 } from "etcd3";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { pod, startHarness, type ApiBody, type Harness } from "./harness.js";
import type { OwnerReference } from "../src/api/types.js";

const run = promisify(execFile);
const fixture = (name: string): string => join(import.meta.dirname, "fixtures", name);
// Generated names use apimachinery's safe alphabet: no vowels, no 0, 1 or 3.
const SAFE = "[bcdfghjklmnpqrstvwxz2456789]";

interface Pod {
  metadata: { name: string; uid: string; resourceVersion: string; labels?: Record<string, string>; ownerReferences?: OwnerReference[] };
  spec: { containers: { image: string; ports?: { containerPort: number }[] }[] };
  status: { phase: string; podIP?: string };
}
/** Workload names a Deployment or ReplicationController and where the API serves it. */
interface Workload {
  apiVersion: string;
  kind: string;
  name: string;
  namespace: string;
  path: string;
}

const deployment = (name: string): Workload => ({ apiVersion: "apps/v1", kind: "Deployment", name, namespace: "default", path: `/apis/apps/v1/namespaces/default/deployments/${name}` });
const replicationController = (name: string, namespace: string): Workload => ({
  apiVersion: "v1",
  kind: "ReplicationController",
  name,
  namespace,
  path: `/api/v1/namespaces/${namespace}/replicationcontrollers/${name}`,
});

/** deploymentBody is a Deployment of nginx pods with the given template labels, selected by matchLabels. */
function deploymentBody(name: string, labels: Record<string, string>, replicas: number, matchLabels = labels): Record<string, unknown> {
  return {
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: { name },
    spec: { replicas, selector: { matchLabels }, template: { metadata: { labels }, spec: { containers: [{ name: "web", image: "nginx:1.27" }] } } },
  };
}

// How long a test waits for the controllers to catch up: they act within milliseconds, the rest is room for a busy machine.
const WAIT = { timeout: 10_000 };

const rows = (table: string): string[][] => table.trim().split("\n").map((row) => row.split(/\s+/));

describe("the replica controller, driven by kubectl v1.32", () => {
  let harness: Harness;
  // Runs the real kubectl with the server's kubeconfig; fails the test on a non-zero exit.
  let kubectl: (...args: string[]) => Promise<string>;
  // Runs kubectl expecting it to fail, and returns what it wrote to stderr.
  let kubectlFails: (...args: string[]) => Promise<string>;

  beforeAll(async () => {
    harness = await startHarness();
    const options = (): { env: NodeJS.ProcessEnv; timeout: number } => ({ env: { ...process.env, KUBECONFIG: harness.server.kubeconfigPath }, timeout: 20_000 });
    kubectl = async (...args) => (await run("kubectl", args, options())).stdout;
    kubectlFails = (...args) =>
      run("kubectl", args, options()).then(
        ({ stdout }) => Promise.reject(new Error(`kubectl ${args.join(" ")} succeeded: ${stdout}`)),
        (error: { stderr: string }) => error.stderr,
      );
  });

  afterAll(async () => {
    await harness?.stop();
  });

  const get = async (path: string): Promise<ApiBody> => (await harness.request("GET", path)).body;
  const pods = async (selector: string, namespace = "default"): Promise<Pod[]> => {
    const { code, body } = await harness.request("GET", `/api/v1/namespaces/${namespace}/pods?labelSelector=${encodeURIComponent(selector)}`);
    expect(code).toBe(200);
    return (body.items ?? []) as unknown as Pod[];
  };
  const endpointIPs = async (service: string): Promise<string[]> => {
    const subsets = ((await get(`/api/v1/namespaces/default/endpoints/${service}`))["subsets"] ?? []) as { addresses?: { ip: string }[] }[];
    return subsets.flatMap((s) => (s.addresses ?? []).map((a) => a.ip)).sort();
  };
  const ipsOf = (list: Pod[]): string[] => list.map((p) => p.status.podIP ?? "").sort();

  /** settled waits until exactly count pods match selector, Running with an IP, owned by the workload, and its status says so. */
  const settled = (workload: Workload, selector: string, count: number): Promise<{ owner: ApiBody; pods: Pod[] }> =>
    vi.waitFor(async () => {
      const owner = await get(workload.path);
      const list = await pods(selector, workload.namespace);
      expect(list).toHaveLength(count);
      const reference = { apiVersion: workload.apiVersion, kind: workload.kind, name: workload.name, uid: owner.metadata?.uid, controller: true, blockOwnerDeletion: true };
      for (const p of list) {
        expect(p.metadata.ownerReferences).toEqual([reference]);
        expect(p.status.phase).toBe("Running");
        expect(p.status.podIP).toMatch(/^10\.244\.\d+\.\d+$/);
      }
      expect([owner.status?.["replicas"] ?? 0, owner.status?.["readyReplicas"] ?? 0]).toEqual([count, count]);
      expect(owner.status?.["observedGeneration"]).toBe(owner.metadata?.generation);
      return { owner, pods: list };
    }, WAIT);

  it("creates the seeds' Deployment from YAML: two running pods with IPs, owned by it, in the Service's Endpoints", async () => {
    const out = await kubectl("create", "-f", fixture("my-nginx-deployment.yaml"), "-f", fixture("my-nginx-service.yaml"));
    expect(out.trim().split("\n")).toEqual(["deployment.apps/my-nginx created", "service/my-nginx created"]);
    const { pods: running } = await settled(deployment("my-nginx"), "run=my-nginx", 2);
    for (const p of running) {
      const hash = new RegExp(`^my-nginx-(${SAFE}{1,10})-${SAFE}{5}$`).exec(p.metadata.name)?.[1];
      expect(p.metadata.labels).toEqual({ run: "my-nginx", "pod-template-hash": hash });
    }
    const table = rows(await kubectl("get", "deploy"));
    expect(table[0]).toEqual(["NAME", "READY", "UP-TO-DATE", "AVAILABLE", "AGE"]);
    expect(table[1]?.slice(0, 4)).toEqual(["my-nginx", "2/2", "2", "2"]);
    const yaml = await kubectl("get", "pod", "-o", "yaml", "-l", "run=my-nginx");
    for (const ip of ipsOf(running)) expect(yaml).toContain(`podIP: ${ip}`);
    await expect.poll(() => endpointIPs("my-nginx"), WAIT).toEqual(ipsOf(running));
  });

  it("replaces a pod deleted by hand, and the Endpoints follow", async () => {
    const [victim] = await pods("run=my-nginx");
    expect(await kubectl("delete", "pod", victim?.metadata.name ?? "")).toBe(`pod "${victim?.metadata.name}" deleted\n`);
    const { pods: running } = await settled(deployment("my-nginx"), "run=my-nginx", 2);
    expect(running.map((p) => p.metadata.name)).not.toContain(victim?.metadata.name);
    await expect.poll(() => endpointIPs("my-nginx"), WAIT).toEqual(ipsOf(running));
  });

  it("scales up with kubectl scale and down with a patch of spec.replicas", async () => {
    expect(await kubectl("scale", "deployment", "my-nginx", "--replicas=3")).toBe("deployment.apps/my-nginx scaled\n");
    const { owner } = await settled(deployment("my-nginx"), "run=my-nginx", 3);
    expect(owner.metadata?.generation).toBe(2);
    expect(rows(await kubectl("get", "deploy", "my-nginx"))[1]?.slice(0, 4)).toEqual(["my-nginx", "3/3", "3", "3"]);
    expect(await kubectl("patch", "deployment", "my-nginx", "-p", '{"spec":{"replicas":1}}')).toBe("deployment.apps/my-nginx patched\n");
    const { pods: running } = await settled(deployment("my-nginx"), "run=my-nginx", 1);
    await expect.poll(() => endpointIPs("my-nginx"), WAIT).toEqual(ipsOf(running));
  });

  it("runs one pod for kubectl create deployment (a protobuf body)", async () => {
    expect(await kubectl("create", "deployment", "lab-sleeper", "--image=mr.io/lab-sleeper")).toBe("deployment.apps/lab-sleeper created\n");
    const { owner, pods: running } = await settled(deployment("lab-sleeper"), "app=lab-sleeper", 1);
    expect(owner.spec?.["selector"]).toEqual({ matchLabels: { app: "lab-sleeper" } });
    expect(running[0]?.spec.containers.map((c) => c.image)).toEqual(["mr.io/lab-sleeper"]);
  });

  it("deletes a Deployment's pods with it (kubectl delete deploy), and only its pods", async () => {
    expect(await kubectl("delete", "deploy", "my-nginx")).toBe('deployment.apps "my-nginx" deleted\n');
    await expect.poll(() => pods("run=my-nginx"), WAIT).toEqual([]);
    await expect.poll(() => endpointIPs("my-nginx"), WAIT).toEqual([]);
    await settled(deployment("lab-sleeper"), "app=lab-sleeper", 1);
  });

  it("applies a Deployment, then a changed template (every pod replaced), then the same again (unchanged)", async () => {
    expect(await kubectl("apply", "-f", fixture("web-deployment.yaml"))).toBe("deployment.apps/web created\n");
    const first = (await settled(deployment("web"), "app=web", 1)).pods[0]?.metadata.labels?.["pod-template-hash"];
    expect(await kubectl("apply", "-f", fixture("web-deployment-v2.yaml"))).toBe("deployment.apps/web configured\n");
    const { owner, pods: running } = await vi.waitFor(async () => {
      const result = await settled(deployment("web"), "app=web", 2);
      for (const p of result.pods) expect(p.metadata.labels?.["pod-template-hash"]).not.toBe(first);
      return result;
    }, WAIT);
    expect(owner.status?.["updatedReplicas"]).toBe(2);
    for (const p of running) expect(p.spec.containers).toMatchObject([{ image: "nginx:1.28", ports: [{ containerPort: 80 }, { containerPort: 9113 }] }]);
    expect(await kubectl("apply", "-f", fixture("web-deployment-v2.yaml"))).toBe("deployment.apps/web unchanged\n");
    expect(await kubectl("delete", "deploy", "web")).toBe('deployment.apps "web" deleted\n');
  });

  it("runs a ReplicationController from YAML the same way, its selector defaulted to the template's labels", async () => {
    const rc = replicationController("kube-dns-v11", "kube-system");
    expect(await kubectl("create", "-f", fixture("kube-dns-rc.yaml"))).toBe("replicationcontroller/kube-dns-v11 created\n");
    const { owner, pods: running } = await settled(rc, "k8s-app=kube-dns", 1);
    expect([owner.spec?.["selector"], owner.metadata?.labels]).toEqual([{ "k8s-app": "kube-dns", version: "v11" }, { "k8s-app": "kube-dns", version: "v11" }]);
    expect(running[0]?.metadata.name).toMatch(new RegExp(`^kube-dns-v11-${SAFE}{5}$`));
    expect(running[0]?.metadata.labels).toEqual({ "k8s-app": "kube-dns", version: "v11" });
    const table = rows(await kubectl("get", "rc", "-n", "kube-system"));
    expect(table[0]).toEqual(["NAME", "DESIRED", "CURRENT", "READY", "AGE"]);
    expect(table[1]?.slice(0, 4)).toEqual(["kube-dns-v11", "1", "1", "1"]);
    expect(await kubectl("scale", "rc", "kube-dns-v11", "-n", "kube-system", "--replicas=2")).toBe("replicationcontroller/kube-dns-v11 scaled\n");
    const [victim] = (await settled(rc, "k8s-app=kube-dns", 2)).pods;
    await kubectl("delete", "pod", "-n", "kube-system", victim?.metadata.name ?? "");
    const after = await settled(rc, "k8s-app=kube-dns", 2);
    expect(after.pods.map((p) => p.metadata.name)).not.toContain(victim?.metadata.name);
    expect(await kubectl("delete", "rc", "kube-dns-v11", "-n", "kube-system")).toBe('replicationcontroller "kube-dns-v11" deleted\n');
    await expect.poll(() => pods("k8s-app=kube-dns", "kube-system"), WAIT).toEqual([]);
  });

  it("refuses a Deployment whose selector does not match its template's labels, or that has none, with 422", async () => {
    expect(await kubectlFails("create", "-f", fixture("bad-selector-deployment.yaml"))).toContain(
      'The Deployment "bad-selector" is invalid: spec.template.metadata.labels: Invalid value: map[string]string{"run":"other"}: `selector` does not match template `labels`',
    );
    const body = deploymentBody("no-selector", { app: "x" }, 1);
    delete (body["spec"] as Record<string, unknown>)["selector"];
    const { code, body: status } = await harness.request("POST", "/apis/apps/v1/namespaces/default/deployments", body);
    expect([code, status.reason, status.message]).toEqual([422, "Invalid", 'Deployment.apps "no-selector" is invalid: spec.selector: Required value']);
    expect((await pods("run=other")).length + (await pods("app=x")).length).toBe(0);
  });

  it("never adopts pods of nobody, nor another workload's pods that its selector matches, and releases a relabelled pod", async () => {
    expect((await harness.request("POST", "/api/v1/namespaces/default/pods", pod("stray", { app: "shared" }))).code).toBe(201);
    const stray = (await pods("app=shared"))[0] as Pod;
    expect((await harness.request("POST", "/apis/apps/v1/namespaces/default/deployments", deploymentBody("shared-a", { app: "shared", owner: "a" }, 2, { app: "shared" }))).code).toBe(201);
    const rcBody = { apiVersion: "v1", kind: "ReplicationController", metadata: { name: "shared-b" }, spec: { replicas: 1, selector: { app: "shared" }, template: (deploymentBody("", { app: "shared", owner: "b" }, 1)["spec"] as Record<string, unknown>)["template"] } };
    expect((await harness.request("POST", "/api/v1/namespaces/default/replicationcontrollers", rcBody)).code).toBe(201);
    const [moved] = (await settled(deployment("shared-a"), "app=shared,owner=a", 2)).pods;
    await settled(replicationController("shared-b", "default"), "app=shared,owner=b", 1);
    expect(await pods("app=shared")).toHaveLength(4);
    expect((await get("/api/v1/namespaces/default/pods/stray")).metadata?.resourceVersion).toBe(stray.metadata.resourceVersion);
    // Relabelled out of its Deployment's selector, a pod is released (no owner reference left) and replaced.
    const relabel = { metadata: { labels: { app: "elsewhere", owner: "a" } } };
    expect((await harness.request("PATCH", `/api/v1/namespaces/default/pods/${moved?.metadata.name}`, relabel, "application/merge-patch+json")).code).toBe(200);
    await expect.poll(async () => ((await get(`/api/v1/namespaces/default/pods/${moved?.metadata.name}`)) as unknown as Pod).metadata.ownerReferences, WAIT).toBeUndefined();
    await settled(deployment("shared-a"), "app=shared,owner=a", 2);
    expect((await harness.request("DELETE", "/apis/apps/v1/namespaces/default/deployments/shared-a")).code).toBe(200);
    expect((await harness.request("DELETE", "/api/v1/namespaces/default/replicationcontrollers/shared-b")).code).toBe(200);
    await expect.poll(async () => (await pods("app=shared")).map((p) => p.metadata.name), WAIT).toEqual(["stray"]);
    expect(await pods("app=elsewhere")).toHaveLength(1);
  });

  it("resyncs after a restart: pods for a Deployment written while the server was down, none left of one deleted then", async () => {
    expect((await harness.request("POST", "/apis/apps/v1/namespaces/default/deployments", deploymentBody("before", { app: "before" }, 1))).code).toBe(201);
    await settled(deployment("before"), "app=before", 1);
    await harness.server.stop();
    // Behind the server's back, as another kube-apiserver would: only a controller that resyncs from etcd notices.
    const client = new Etcd3({ hosts: harness.etcd.clientUrl });
    try {
      const offline = deploymentBody("offline", { app: "offline" }, 2);
      const metadata = { name: "offline", namespace: "default", uid: randomUUID(), creationTimestamp: new Date().toISOString().replace(/\.\d+Z$/, "Z"), generation: 1 };
      await client.put("/registry/deployments/default/offline").value(JSON.stringify({ ...offline, metadata }));
      await client.delete().key("/registry/deployments/default/before");
    } finally {
      client.close();
    }
    await harness.restart();
    await settled(deployment("offline"), "app=offline", 2);
    await expect.poll(() => pods("app=before"), WAIT).toEqual([]);
  });

  it("carries on past odd objects written straight into etcd: a value that is not JSON, a malformed Deployment and pod", async () => {
    const client = new Etcd3({ hosts: harness.etcd.clientUrl });
    const odd = {
      "/registry/pods/default/garbage": "not json",
      "/registry/pods/default/odd-pod": JSON.stringify({ metadata: { name: "odd-pod", namespace: "default", labels: "x", ownerReferences: { kind: "Deployment" } } }),
      "/registry/deployments/default/odd": JSON.stringify({ metadata: { name: "odd", namespace: "default", uid: "odd-uid" }, spec: { replicas: "many", selector: 7, template: null } }),
    };
    try {
      for (const [key, value] of Object.entries(odd)) await client.put(key).value(value);
      // Listing the namespace's pods fails on the garbage, as in kube-apiserver; the controller skips it and keeps working.
      expect((await harness.request("PATCH", deployment("offline").path, { spec: { replicas: 3 } }, "application/merge-patch+json")).code).toBe(200);
      await expect.poll(async () => (await get(deployment("offline").path)).status?.["readyReplicas"], WAIT).toBe(3);
      expect((await get(deployment("odd").path)).status).toBeUndefined();
    } finally {
      for (const key of Object.keys(odd)) await client.delete().key(key);
      client.close();
    }
    await settled(deployment("offline"), "app=offline", 3);
  });
});
