import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseFlags as parseExecHealthzFlags } from "@kube-dns/exec-healthz";
import { parseFlags as parseKube2skyFlags } from "@kube-dns/kube2sky";
import { parseFlags as parseSkydnsFlags } from "@kube-dns/skydns";
import { Deployment } from "kubernetes-models/apps/v1";
import { ClusterRole, ClusterRoleBinding } from "kubernetes-models/rbac.authorization.k8s.io/v1";
import { Pod, ReplicationController, Service, ServiceAccount } from "kubernetes-models/v1";
import { describe, expect, it } from "vitest";
import { parseAllDocuments } from "yaml";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..");
const MANIFESTS = join(ROOT, "manifests");

// One constructor per kind the manifests use; an unknown kind fails the test instead of skipping validation.
const MODELS: Record<string, new (data: never) => { validate(): void }> = {
  "apps/v1/Deployment": Deployment,
  "v1/ReplicationController": ReplicationController,
  "v1/Service": Service,
  "v1/Pod": Pod,
  "v1/ServiceAccount": ServiceAccount,
  "rbac.authorization.k8s.io/v1/ClusterRole": ClusterRole,
  "rbac.authorization.k8s.io/v1/ClusterRoleBinding": ClusterRoleBinding,
};

interface Container {
  name: string;
  image: string;
  command?: string[];
  args?: string[];
  ports?: { containerPort: number; protocol?: string; name?: string }[];
  livenessProbe?: { httpGet?: { port: number; path: string } };
  readinessProbe?: { httpGet?: { port: number; path: string } };
}
interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string };
  spec?: { template?: { spec: { containers: Container[] } }; clusterIP?: string; ports?: { name?: string; port: number; protocol?: string }[] };
}

function manifestFiles(): string[] {
  const top = readdirSync(MANIFESTS).filter((f) => f.endsWith(".yaml")).map((f) => join(MANIFESTS, f));
  const examples = readdirSync(join(MANIFESTS, "examples")).filter((f) => f.endsWith(".yaml")).map((f) => join(MANIFESTS, "examples", f));
  return [...top, ...examples];
}

function objectsIn(file: string): KubeObject[] {
  return parseAllDocuments(readFileSync(file, "utf8")).map((document) => {
    expect(document.errors, `${file}: YAML errors`).toEqual([]);
    return document.toJS() as KubeObject;
  });
}

function podContainers(file: string): Container[] {
  const [workload] = objectsIn(join(MANIFESTS, file));
  return workload?.spec?.template?.spec.containers ?? [];
}

function container(containers: Container[], name: string): Container {
  const found = containers.find((c) => c.name === name);
  if (found === undefined) throw new Error(`no container ${name}`);
  return found;
}

describe("manifests", () => {
  it.each(manifestFiles().map((file) => [file.slice(ROOT.length + 1), file]))("%s validates against the Kubernetes API schema", (_name, file) => {
    const objects = objectsIn(file);
    expect(objects.length).toBeGreaterThan(0);
    for (const object of objects) {
      const Model = MODELS[`${object.apiVersion}/${object.kind}`];
      expect(Model, `${file}: no schema for ${object.apiVersion} ${object.kind}`).toBeDefined();
      expect(() => new (Model as NonNullable<typeof Model>)(object as never).validate()).not.toThrow();
    }
  });

  it("gives the kube-dns Service the fixed cluster IP and the named DNS ports", () => {
    const [service] = objectsIn(join(MANIFESTS, "kube-dns-svc.yaml"));
    expect(service?.metadata).toMatchObject({ name: "kube-dns", namespace: "kube-system" });
    expect(service?.spec?.clusterIP).toBe("10.0.0.10");
    expect(service?.spec?.ports).toEqual([
      { name: "dns", port: 53, protocol: "UDP" },
      { name: "dns-tcp", port: 53, protocol: "TCP" },
    ]);
  });

  it("grants kube2sky only list and watch", () => {
    const role = objectsIn(join(MANIFESTS, "kube-dns-rbac.yaml")).find((o) => o.kind === "ClusterRole") as unknown as { rules: { verbs: string[]; resources: string[] }[] };
    const resources = role.rules.flatMap((rule) => rule.resources).sort();
    expect(resources).toEqual(["endpoints", "endpointslices", "namespaces", "pods", "services"]);
    for (const rule of role.rules) expect(rule.verbs.sort()).toEqual(["list", "watch"]);
  });
});

describe.each(["kube-dns.yaml", "kube-dns-rc.yaml"])("the pod in %s", (file) => {
  const containers = podContainers(file);

  it("has the four containers of v1.2", () => {
    expect(containers.map((c) => c.name)).toEqual(["etcd", "kube2sky", "skydns", "healthz"]);
  });

  it("passes each program only flags it really has, with values it accepts", () => {
    const kube2sky = parseKube2skyFlags(container(containers, "kube2sky").args ?? [], {}, true);
    const skydns = parseSkydnsFlags(container(containers, "skydns").args ?? [], {});
    const healthz = parseExecHealthzFlags(["node", "exec-healthz", ...(container(containers, "healthz").args ?? [])]);
    const etcdArgs = container(containers, "etcd").command ?? [];
    const etcdUrl = etcdArgs.find((a) => a.startsWith("--listen-client-urls="))?.split("=")[1];
    expect(kube2sky.etcdServer).toBe(etcdUrl);
    expect(skydns.machines).toEqual([etcdUrl]);
    expect(kube2sky.domain.replace(/\.$/, "")).toBe(skydns.domain.replace(/\.$/, ""));
    // exec-healthz asks the skydns of its own pod, on the pod's loopback.
    expect(healthz.cmd).toMatch(new RegExp(`^nslookup kubernetes\\.default\\.svc\\.${kube2sky.domain.replace(/\.$/, "").replace(/\./g, "\\.")} 127\\.0\\.0\\.1`));
    expect(skydns.addr).toMatchObject({ port: 53 });
  });

  it("probes the ports the programs serve", () => {
    const kube2sky = parseKube2skyFlags(container(containers, "kube2sky").args ?? [], {}, true);
    const skydns = parseSkydnsFlags(container(containers, "skydns").args ?? [], {});
    const healthz = parseExecHealthzFlags(["node", "exec-healthz", ...(container(containers, "healthz").args ?? [])]);
    expect(container(containers, "kube2sky").readinessProbe?.httpGet).toEqual({ path: "/readiness", port: kube2sky.healthzPort, scheme: "HTTP" });
    expect(container(containers, "skydns").livenessProbe?.httpGet).toEqual({ path: "/healthz", port: healthz.port, scheme: "HTTP" });
    expect(container(containers, "skydns").readinessProbe?.httpGet).toMatchObject({ path: "/ready", port: skydns.metricsAddr?.port });
    expect(container(containers, "healthz").ports?.map((p) => p.containerPort)).toEqual([healthz.port]);
  });

  it("uses images built from docker/, whose EXPOSE lines cover the container ports", () => {
    for (const c of containers.filter((c) => c.image.startsWith("kube-dns/"))) {
      const program = c.image.slice("kube-dns/".length).split(":")[0] as string;
      const dockerfile = join(ROOT, "docker", `${program}.Dockerfile`);
      expect(existsSync(dockerfile), dockerfile).toBe(true);
      const exposed = (readFileSync(dockerfile, "utf8").match(/^EXPOSE (.+)$/m)?.[1] ?? "").split(/\s+/);
      for (const port of c.ports ?? []) expect(exposed).toContain(`${port.containerPort}${port.protocol === "UDP" ? "/udp" : port.protocol === "TCP" && port.containerPort === 53 ? "/tcp" : ""}`);
    }
  });
});

describe.each(["kube2sky", "skydns", "exec-healthz"])("docker/%s.Dockerfile", (program) => {
  const dockerfile = readFileSync(join(ROOT, "docker", `${program}.Dockerfile`), "utf8");

  it("is multi-stage and runs the package's built entry point", () => {
    expect(dockerfile.match(/^FROM /gm)).toHaveLength(2);
    expect(dockerfile).toContain(`--filter "@kube-dns/${program}..." build`);
    const entrypoint = JSON.parse(dockerfile.match(/^ENTRYPOINT (.+)$/m)?.[1] ?? "[]") as string[];
    expect(entrypoint).toEqual(["node", "/app/dist/main.js"]);
    const bin = (JSON.parse(readFileSync(join(ROOT, "packages", program, "package.json"), "utf8")) as { bin: Record<string, string> }).bin;
    expect(Object.values(bin)).toEqual(["./dist/main.js"]);
  });

  it("deploys, as the Dockerfile's build stage does, to a self-contained folder whose entry point runs", () => {
    // `pnpm deploy --prod --legacy` is the Dockerfile's last build step; what it writes is the image's /app.
    const app = mkdtempSync(join(tmpdir(), `kube-dns-image-${program}-`));
    try {
      execFileSync("pnpm", ["--filter", `@kube-dns/${program}`, "deploy", "--prod", "--legacy", join(app, "app")], { cwd: ROOT, stdio: "ignore", timeout: 60_000 });
      const help = execFileSync(process.execPath, [join(app, "app", "dist", "main.js"), "--help"], { cwd: app, encoding: "utf8", timeout: 20_000 });
      expect(help).toMatch(/Usage:/);
      expect(existsSync(join(app, "app", "src")), "sources are not shipped").toBe(false);
      expect(existsSync(join(app, "app", "node_modules", "vitest")), "no dev dependencies").toBe(false);
    } finally {
      rmSync(app, { recursive: true, force: true });
      // pnpm 10 also links the deployed package's bins under <workspace>/<target path>: remove that stray copy too.
      const stray = join(ROOT, app);
      rmSync(stray, { recursive: true, force: true });
      const strayTop = join(ROOT, app.split("/")[1] ?? "");
      if (strayTop !== ROOT && existsSync(strayTop) && readdirSync(strayTop).length === 0) rmSync(strayTop, { recursive: true });
    }
  });

  it("has that entry point in the build output, and it runs", () => {
    const entry = join(ROOT, "packages", program, "dist", "main.js");
    expect(existsSync(entry), `${entry} (run pnpm -r build)`).toBe(true);
    expect(execFileSync(process.execPath, [entry, "--help"], { encoding: "utf8", timeout: 20_000 })).toMatch(/Usage:/);
  });
});
