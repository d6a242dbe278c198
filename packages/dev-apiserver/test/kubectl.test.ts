import { execFile } from "node:child_process";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startHarness, type Harness } from "./harness.js";

const run = promisify(execFile);
const FIXTURES = join(import.meta.dirname, "fixtures");
const fixture = (name: string): string => join(FIXTURES, name);

interface WatchLine {
  type: string;
  object: { metadata: { name: string; resourceVersion: string; labels?: Record<string, string> } };
}

describe("kubectl v1.32 against the dev API server", () => {
  let harness: Harness;
  // Runs the real kubectl with the kubeconfig the server wrote; fails the test on a non-zero exit.
  let kubectl: (...args: string[]) => Promise<string>;

  beforeAll(async () => {
    harness = await startHarness();
    kubectl = async (...args) => {
      const { stdout } = await run("kubectl", args, { env: { ...process.env, KUBECONFIG: harness.server.kubeconfigPath }, timeout: 20_000 });
      return stdout;
    };
  });

  afterAll(async () => {
    await harness?.stop();
  });

  it("reports the server version", async () => {
    const version = JSON.parse(await kubectl("version", "-o", "json")) as { serverVersion: { gitVersion: string } };
    expect(version.serverVersion.gitVersion).toMatch(/^v1\.32\./);
  });

  it("creates the seeds' nginx pods and my-nginx service and a busybox pod from YAML, with validation on", async () => {
    const out = await kubectl("create", "-f", fixture("my-nginx-service.yaml"), "-f", fixture("nginx-pods.yaml"), "-f", fixture("busybox-pod.yaml"));
    expect(out.trim().split("\n")).toEqual(["service/my-nginx created", "pod/my-nginx-1 created", "pod/my-nginx-2 created", "pod/busybox created"]);
  });

  it("gets them back as JSON with allocated addresses and defaults", async () => {
    const svc = JSON.parse(await kubectl("get", "svc", "my-nginx", "-o", "json")) as { spec: { clusterIP: string; ports: unknown[] } };
    expect(svc.spec.clusterIP).toMatch(/^10\.0\.([1-9]\d*)\.\d+$/); // the default /16, above its static band
    expect(svc.spec.clusterIP).not.toBe("10.0.0.1");
    expect(svc.spec.ports).toEqual([{ port: 80, protocol: "TCP", targetPort: 80 }]);
    const pods = JSON.parse(await kubectl("get", "pods", "-o", "json")) as { items: { metadata: { name: string }; status: { phase: string; podIP: string } }[] };
    expect(pods.items.map((p) => p.metadata.name)).toEqual(["busybox", "my-nginx-1", "my-nginx-2"]);
    for (const p of pods.items) {
      expect(p.status.phase).toBe("Running");
      expect(p.status.podIP).toMatch(/^10\.244\.\d+\.\d+$/);
    }
    expect(new Set(pods.items.map((p) => p.status.podIP)).size).toBe(3);
    const table = (await kubectl("get", "svc", "my-nginx")).trim().split("\n").map((row) => row.split(/\s+/));
    expect(table[0]).toEqual(["NAME", "TYPE", "CLUSTER-IP", "EXTERNAL-IP", "PORT(S)", "AGE"]);
    expect(table[1]?.slice(0, 5)).toEqual(["my-nginx", "ClusterIP", svc.spec.clusterIP, "<none>", "80/TCP"]);
    const wide = (await kubectl("get", "pods", "my-nginx-1", "-o", "wide")).trim().split("\n").map((row) => row.split(/\s+/));
    expect(wide[0]).toEqual(["NAME", "READY", "STATUS", "RESTARTS", "AGE", "IP", "NODE"]);
    expect(wide[1]?.slice(0, 4)).toEqual(["my-nginx-1", "1/1", "Running", "0"]);
    expect(wide[1]?.[5]).toBe(pods.items.find((p) => p.metadata.name === "my-nginx-1")?.status.podIP);
    const names = await kubectl("get", "svc,pods", "-o", "name");
    expect(names.trim().split("\n")).toEqual(["service/kubernetes", "service/my-nginx", "pod/busybox", "pod/my-nginx-1", "pod/my-nginx-2"]);
  });

  it("labels, selects by label and unlabels", async () => {
    expect(await kubectl("label", "svc", "my-nginx", "tier=web")).toContain("service/my-nginx labeled");
    expect(await kubectl("get", "svc", "-l", "tier=web", "-o", "name")).toBe("service/my-nginx\n");
    expect(await kubectl("get", "pods", "-l", "run=my-nginx,run notin (x)", "-o", "name")).toBe("pod/my-nginx-1\npod/my-nginx-2\n");
    expect(await kubectl("label", "svc", "my-nginx", "tier-")).toContain("service/my-nginx unlabeled");
    expect(await kubectl("get", "svc", "-l", "tier", "-o", "name")).toBe("");
  });

  it("watches from a resourceVersion and sees exactly the later events", async () => {
    const from = await kubectl("get", "svc", "my-nginx", "-o", "jsonpath={.metadata.resourceVersion}");
    await kubectl("label", "svc", "my-nginx", "watched=yes");
    await kubectl("create", "-f", fixture("extra-service.yaml"));
    await kubectl("delete", "svc", "extra");
    // The server ends the stream after timeoutSeconds, so kubectl returns what it saw.
    const raw = await kubectl("get", "--raw", `/api/v1/namespaces/default/services?watch=true&resourceVersion=${from}&timeoutSeconds=2`);
    const events = raw.trim().split("\n").map((line) => JSON.parse(line) as WatchLine);
    expect(events.map((e) => `${e.type} ${e.object.metadata.name}`)).toEqual(["MODIFIED my-nginx", "ADDED extra", "DELETED extra"]);
    expect(events[0]?.object.metadata.labels).toEqual({ run: "my-nginx", watched: "yes" });
    const versions = events.map((e) => Number(e.object.metadata.resourceVersion));
    expect(versions[0]).toBeGreaterThan(Number(from));
    expect([...versions].sort((a, b) => a - b)).toEqual(versions);
  });

  it("deletes from the YAML files and then reports NotFound", async () => {
    const out = await kubectl("delete", "-f", fixture("busybox-pod.yaml"), "-f", fixture("nginx-pods.yaml"));
    expect(out.trim().split("\n")).toEqual(['pod "busybox" deleted', 'pod "my-nginx-1" deleted', 'pod "my-nginx-2" deleted']);
    const failure = await kubectl("get", "pod", "busybox").then(
      () => "",
      (error: { stderr: string }) => error.stderr,
    );
    expect(failure).toContain('Error from server (NotFound): pods "busybox" not found');
    expect(await kubectl("get", "pods", "-o", "name")).toBe("");
  });

  it("applies a service, then a changed version (strategic merge patch), then the same again", async () => {
    expect(await kubectl("apply", "-f", fixture("web-service.yaml"))).toBe("service/web created\n");
    expect(await kubectl("apply", "-f", fixture("web-service-v2.yaml"))).toBe("service/web configured\n");
    const web = JSON.parse(await kubectl("get", "svc", "web", "-o", "json")) as { metadata: { labels: Record<string, string> }; spec: { ports: unknown[] } };
    expect(web.metadata.labels).toEqual({ app: "web", tier: "front" });
    expect(web.spec.ports).toEqual([{ name: "http", port: 8080, protocol: "TCP", targetPort: 8080 }]);
    expect(await kubectl("apply", "-f", fixture("web-service-v2.yaml"))).toBe("service/web unchanged\n");
  });

  // Every `kubectl create` generator of a kind the server serves; kubectl sends each object as protobuf.
  it.each([
    [["create", "namespace", "gen"], "namespace/gen created", ["get", "namespace", "gen", "-o", "jsonpath={.metadata.name} {.status.phase}"], "gen Active"],
    [["create", "service", "clusterip", "gen-cip", "--tcp=80:8080", "--tcp=443", "-n", "gen"], "service/gen-cip created", ["get", "svc", "gen-cip", "-n", "gen", "-o", "jsonpath={.spec.type} {.spec.ports[*].name} {.spec.ports[*].targetPort} {.spec.selector.app}"], "ClusterIP 80-8080 443 8080 443 gen-cip"],
    [["create", "service", "clusterip", "gen-none", "--clusterip=None"], "service/gen-none created", ["get", "svc", "gen-none", "-o", "jsonpath={.spec.clusterIP}"], "None"],
    [["create", "service", "nodeport", "gen-np", "--tcp=80:8080", "--node-port=30080"], "service/gen-np created", ["get", "svc", "gen-np", "-o", "jsonpath={.spec.type} {.spec.ports[0].nodePort}"], "NodePort 30080"],
    [["create", "service", "loadbalancer", "gen-lb", "--tcp=5678:8080"], "service/gen-lb created", ["get", "svc", "gen-lb", "-o", "jsonpath={.spec.type} {.spec.ports[0].port}"], "LoadBalancer 5678"],
    [["create", "service", "externalname", "gen-ext", "--external-name", "db.example.org"], "service/gen-ext created", ["get", "svc", "gen-ext", "-o", "jsonpath={.spec.type} {.spec.externalName}"], "ExternalName db.example.org"],
    [["create", "configmap", "gen-cm", "--from-literal=upstreamNameservers=[\"192.0.2.1\"]", "--from-literal=a.b=c"], "configmap/gen-cm created", ["get", "configmap", "gen-cm", "-o", "jsonpath={.data}"], '{"a.b":"c","upstreamNameservers":"[\\"192.0.2.1\\"]"}'],
    [["create", "deployment", "gen-dep", "--image=registry.example.org/web:1", "--port=80", "--replicas=2", "--", "sleep", "10"], "deployment.apps/gen-dep created", ["get", "deployment", "gen-dep", "-o", "jsonpath={.spec.replicas} {.spec.template.spec.containers[0].command}"], '2 ["sleep","10"]'],
  ])("kubectl %j (protobuf)", async (args, created, get, shown) => {
    expect(await kubectl(...args)).toBe(`${created}\n`);
    expect(await kubectl(...get)).toBe(shown);
  });

  it("edits, patches, watches and deletes the kube-dns ConfigMap in kube-system", async () => {
    const ns = ["-n", "kube-system"];
    expect(await kubectl("create", "configmap", "kube-dns", ...ns, '--from-literal=stubDomains={"acme.local":["192.0.2.9"]}')).toBe("configmap/kube-dns created\n");
    const from = await kubectl("get", "cm", "kube-dns", ...ns, "-o", "jsonpath={.metadata.resourceVersion}");
    const table = (await kubectl("get", "configmap", ...ns)).trim().split("\n").map((row) => row.split(/\s+/));
    expect(table[0]).toEqual(["NAME", "DATA", "AGE"]);
    expect(table.find((row) => row[0] === "kube-dns")?.[1]).toBe("1");
    // kubectl edit sends a strategic merge patch of what the editor changed.
    const edit = await run("kubectl", ["edit", "configmap", "kube-dns", ...ns], { env: { ...process.env, KUBECONFIG: harness.server.kubeconfigPath, KUBE_EDITOR: "sed -i s/192.0.2.9/192.0.2.10/" }, timeout: 20_000 });
    expect(edit.stdout).toBe("configmap/kube-dns edited\n");
    await kubectl("patch", "configmap", "kube-dns", ...ns, "--type=merge", "-p", '{"data":{"upstreamNameservers":"[\\"192.0.2.1\\"]"}}');
    await kubectl("patch", "configmap", "kube-dns", ...ns, "--type=json", "-p", '[{"op":"add","path":"/data/extra","value":"x"}]');
    const data = JSON.parse(await kubectl("get", "cm", "kube-dns", ...ns, "-o", "jsonpath={.data}")) as Record<string, string>;
    expect(data).toEqual({ stubDomains: '{"acme.local":["192.0.2.10"]}', upstreamNameservers: '["192.0.2.1"]', extra: "x" });
    expect(await kubectl("delete", "configmap", "kube-dns", ...ns)).toBe('configmap "kube-dns" deleted\n');
    const raw = await kubectl("get", "--raw", `/api/v1/namespaces/kube-system/configmaps?watch=true&fieldSelector=metadata.name%3Dkube-dns&resourceVersion=${from}&timeoutSeconds=2`);
    const events = raw.trim().split("\n").map((line) => JSON.parse(line) as WatchLine);
    expect(events.map((e) => e.type)).toEqual(["MODIFIED", "MODIFIED", "MODIFIED", "DELETED"]);
  });

  it("refuses a ConfigMap with a bad key and changes to an immutable one", async () => {
    await kubectl("create", "configmap", "frozen", "--from-literal=a=b");
    // kubectl checks keys itself on create, so the bad key comes in a patch.
    const bad = await kubectl("patch", "configmap", "frozen", "--type=merge", "-p", '{"data":{"bad/key":"x"}}').then(() => "", (error: { stderr: string }) => error.stderr);
    expect(bad).toContain('ConfigMap "frozen" is invalid');
    await kubectl("patch", "configmap", "frozen", "--type=merge", "-p", '{"immutable":true}');
    const frozen = await kubectl("patch", "configmap", "frozen", "--type=merge", "-p", '{"data":{"a":"c"}}').then(() => "", (error: { stderr: string }) => error.stderr);
    expect(frozen).toContain("field is immutable");
  });
});
