import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseFlags as parseExecHealthzFlags } from "@kube-dns/exec-healthz";
import { parseCommandLine, planPod, type UpConfig } from "@kube-dns/launcher";
import { parseFlags as parseSkydnsFlags } from "@kube-dns/skydns";
import { Deployment, StatefulSet } from "kubernetes-models/apps/v1";
import { CronJob } from "kubernetes-models/batch/v1";
import { PodDisruptionBudget } from "kubernetes-models/policy/v1";
import { parseDnsConfig, parseFlags as parseKube2skyFlags } from "@kube-dns/kube2sky";
import { ClusterRole, ClusterRoleBinding, Role, RoleBinding } from "kubernetes-models/rbac.authorization.k8s.io/v1";
import { ConfigMap, Pod, ReplicationController, Service, ServiceAccount } from "kubernetes-models/v1";
import { describe, expect, it } from "vitest";
import { parseAllDocuments } from "yaml";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..");
const MANIFESTS = join(ROOT, "manifests");

// One constructor per kind the manifests use; an unknown kind fails the test instead of skipping validation.
const MODELS: Record<string, new (data: never) => { validate(): void }> = {
  "apps/v1/Deployment": Deployment,
  "apps/v1/StatefulSet": StatefulSet,
  "batch/v1/CronJob": CronJob,
  "policy/v1/PodDisruptionBudget": PodDisruptionBudget,
  "v1/ReplicationController": ReplicationController,
  "v1/Service": Service,
  "v1/Pod": Pod,
  "v1/ServiceAccount": ServiceAccount,
  "v1/ConfigMap": ConfigMap,
  "rbac.authorization.k8s.io/v1/ClusterRole": ClusterRole,
  "rbac.authorization.k8s.io/v1/ClusterRoleBinding": ClusterRoleBinding,
  "rbac.authorization.k8s.io/v1/Role": Role,
  "rbac.authorization.k8s.io/v1/RoleBinding": RoleBinding,
};

interface Container {
  name: string;
  image: string;
  command?: string[];
  args?: string[];
  env?: { name: string; value?: string }[];
  ports?: { containerPort: number; protocol?: string; name?: string }[];
  livenessProbe?: { httpGet?: { port: number; path: string } };
  readinessProbe?: { httpGet?: { port: number; path: string } };
  securityContext?: { allowPrivilegeEscalation?: boolean; readOnlyRootFilesystem?: boolean; capabilities?: { drop?: string[]; add?: string[] }; runAsUser?: number };
  resources?: { requests?: Record<string, string>; limits?: Record<string, string> };
}
interface PodSpec {
  containers: Container[];
  priorityClassName?: string;
  tolerations?: { key?: string; operator?: string }[];
  securityContext?: { runAsNonRoot?: boolean; runAsUser?: number; seccompProfile?: { type: string } };
}
interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string };
  spec?: { template?: { spec: PodSpec }; clusterIP?: string; ports?: { name?: string; port: number; protocol?: string; targetPort?: string | number }[] };
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

function podSpec(file: string): PodSpec {
  const [workload] = objectsIn(join(MANIFESTS, file));
  const spec = workload?.spec?.template?.spec;
  if (spec === undefined) throw new Error(`${file} has no pod template`);
  return spec;
}

function podContainers(file: string): Container[] {
  return podSpec(file).containers;
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

  it("gives the kube-dns Service the fixed cluster IP and port 53, targeting skydns's DNS ports by name", () => {
    const [service] = objectsIn(join(MANIFESTS, "kube-dns-svc.yaml"));
    expect(service?.metadata).toMatchObject({ name: "kube-dns", namespace: "kube-system" });
    expect(service?.spec?.clusterIP).toBe("10.0.0.10");
    expect(service?.spec?.ports).toEqual([
      { name: "dns", port: 53, protocol: "UDP", targetPort: "dns" },
      { name: "dns-tcp", port: 53, protocol: "TCP", targetPort: "dns-tcp" },
    ]);
    // Pods ask port 53; kube-proxy sends it to the skydns container port each name stands for, the one skydns serves.
    const skydns = container(podContainers("kube-dns.yaml"), "skydns");
    const served = parseSkydnsFlags(skydns.args ?? [], {}).addr.port;
    for (const port of service?.spec?.ports ?? []) {
      expect(skydns.ports?.find((p) => p.name === port.targetPort && p.protocol === port.protocol)?.containerPort).toBe(served);
    }
  });

  it("runs the same pod as a Deployment and as the v1.2-style ReplicationController", () => {
    expect(podSpec("kube-dns-rc.yaml")).toEqual(podSpec("kube-dns.yaml"));
  });

  it("grants kube2sky only list and watch, and read access to the kube-dns ConfigMap by name", () => {
    type Rule = { verbs: string[]; resources: string[]; resourceNames?: string[] };
    type Rbac = { kind: string; metadata: { name: string; namespace?: string }; rules?: Rule[]; roleRef?: { kind: string; name: string }; subjects?: { name: string; namespace: string }[] };
    const objects = objectsIn(join(MANIFESTS, "kube-dns-rbac.yaml")) as unknown as Rbac[];
    const clusterRole = objects.find((o) => o.kind === "ClusterRole");
    const resources = (clusterRole?.rules ?? []).flatMap((rule) => rule.resources).sort();
    expect(resources).toEqual(["endpoints", "endpointslices", "namespaces", "pods", "services"]);
    for (const rule of clusterRole?.rules ?? []) expect(rule.verbs.sort()).toEqual(["list", "watch"]);
    const role = objects.find((o) => o.kind === "Role");
    expect(role?.metadata).toMatchObject({ name: "kube-dns", namespace: "kube-system" });
    expect(role?.rules).toEqual([{ apiGroups: [""], resources: ["configmaps"], resourceNames: ["kube-dns"], verbs: ["get", "list", "watch"] }]);
    const binding = objects.find((o) => o.kind === "RoleBinding");
    expect(binding?.metadata.namespace).toBe("kube-system");
    expect(binding?.roleRef).toMatchObject({ kind: "Role", name: "kube-dns" });
    expect(binding?.subjects).toEqual([{ kind: "ServiceAccount", name: "kube-dns", namespace: "kube-system" }]);
    // kube2sky asks for the ConfigMap the Role names (the flag's default, as the pod does not set it).
    expect(parseKube2skyFlags([], {}).configMap).toBe("kube-system/kube-dns");
  });

  it("has an example kube-dns ConfigMap that kube2sky accepts", () => {
    const [configMap] = objectsIn(join(MANIFESTS, "examples", "kube-dns-configmap.yaml")) as unknown as { metadata: { name: string; namespace: string }; data: Record<string, string> }[];
    expect(configMap?.metadata).toMatchObject({ name: "kube-dns", namespace: "kube-system" });
    const parsed = parseDnsConfig(configMap?.data, "cluster.local.");
    expect(parsed).toEqual({
      ok: true,
      config: {
        nameservers: ["192.0.2.1:53", "192.0.2.2:53"],
        stub_domains: { "acme.local.": ["10.150.0.1:53"], "example.org.": ["192.0.2.53:5353", "[2001:db8::53]:53"] },
      },
    });
  });
});

describe.each(["kube-dns.yaml", "kube-dns-rc.yaml"])("the pod in %s", (file) => {
  const containers = podContainers(file);

  it("has the four containers of v1.2", () => {
    expect(containers.map((c) => c.name)).toEqual(["etcd", "kube2sky", "skydns", "healthz"]);
  });

  it("passes each program only flags it really has, with values it accepts", () => {
    const kube2sky = parseKube2skyFlags(container(containers, "kube2sky").args ?? [], {});
    const skydns = parseSkydnsFlags(container(containers, "skydns").args ?? [], {});
    const healthz = parseExecHealthzFlags(container(containers, "healthz").args ?? [], {});
    const etcdArgs = container(containers, "etcd").command ?? [];
    const etcdUrl = etcdArgs.find((a) => a.startsWith("--listen-client-urls="))?.split("=")[1];
    expect(kube2sky.etcdServer).toBe(etcdUrl);
    expect(skydns.machines).toEqual([etcdUrl]);
    expect(kube2sky.domain.replace(/\.$/, "")).toBe(skydns.domain.replace(/\.$/, ""));
    // exec-healthz asks the skydns of its own pod, on the pod's loopback and the port skydns serves.
    const domain = kube2sky.domain.replace(/\.$/, "").replace(/\./g, "\\.");
    expect(healthz.cmd).toMatch(new RegExp(`^nslookup -port=${skydns.addr.port} kubernetes\\.default\\.svc\\.${domain} 127\\.0\\.0\\.1`));
    // An unprivileged port: skydns runs as uid 1000 with no capability (the Service maps 53 to it).
    expect(skydns.addr.port).toBeGreaterThanOrEqual(1024);
  });

  it("runs every container as a non-root user with no capability, no privilege escalation and a read-only root", () => {
    const pod = podSpec(file);
    expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 1000, seccompProfile: { type: "RuntimeDefault" } });
    for (const c of containers) {
      expect(c.securityContext, c.name).toEqual({ allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ["ALL"] } });
    }
  });

  it("is a critical add-on: system-cluster-critical, tolerating the CriticalAddonsOnly taint", () => {
    const pod = podSpec(file);
    expect(pod.priorityClassName).toBe("system-cluster-critical");
    expect(pod.tolerations).toContainEqual({ key: "CriticalAddonsOnly", operator: "Exists" });
  });

  it("gives every container requests below its limits, and caps each Node.js heap below its memory limit", () => {
    for (const c of containers) {
      const requests = c.resources?.requests ?? {};
      const limits = c.resources?.limits ?? {};
      expect(mebibytes(requests["memory"]), c.name).toBeLessThanOrEqual(mebibytes(limits["memory"]));
      expect(millicores(requests["cpu"]), c.name).toBeLessThanOrEqual(millicores(limits["cpu"]));
      if (!c.image.startsWith("kube-dns/")) continue;
      const heap = /--max-old-space-size=(\d+)/.exec(c.env?.find((e) => e.name === "NODE_OPTIONS")?.value ?? "")?.[1];
      expect(heap, `${c.name}: NODE_OPTIONS --max-old-space-size`).toBeDefined();
      expect(Number(heap), c.name).toBeLessThan(mebibytes(limits["memory"]));
    }
  });

  it("probes the ports the programs serve", () => {
    const kube2sky = parseKube2skyFlags(container(containers, "kube2sky").args ?? [], {});
    const skydns = parseSkydnsFlags(container(containers, "skydns").args ?? [], {});
    const healthz = parseExecHealthzFlags(container(containers, "healthz").args ?? [], {});
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
      for (const port of c.ports ?? []) {
        // EXPOSE means TCP unless it says /udp; a port served over both says /tcp too.
        const spellings = port.protocol === "UDP" ? [`${port.containerPort}/udp`] : [`${port.containerPort}`, `${port.containerPort}/tcp`];
        expect(exposed.some((e) => spellings.includes(e)), `${c.name} ${port.containerPort}/${port.protocol ?? "TCP"}`).toBe(true);
      }
    }
  });
});

/**
 * The doctor's CronJob runs `kube-dns doctor` from the launcher's image with flags the command has, against the HA
 * manifest's etcd (with its TLS files) and the kube-dns Service, as a service account that may list what it reads.
 */
describe("manifests/kube-dns-doctor-cronjob.yaml", () => {
  const objects = objectsIn(join(MANIFESTS, "kube-dns-doctor-cronjob.yaml"));
  const cronJob = objects.find((o) => o.kind === "CronJob") as unknown as {
    spec: { jobTemplate: { spec: { template: { spec: PodSpec & { serviceAccountName: string; hostAliases: { ip: string; hostnames: string[] }[] } } } } };
  };
  const pod = cronJob.spec.jobTemplate.spec.template.spec;
  const [doctor] = pod.containers;

  it("runs kube-dns doctor from the launcher's image with flags it has, reading the HA pod's etcd and the kube-dns Service", () => {
    expect(doctor?.image).toBe("kube-dns/launcher:0.1.0");
    const config = parseCommandLine(doctor?.args ?? [], { KUBERNETES_SERVICE_HOST: "10.0.0.1" });
    expect(config).toMatchObject({ command: "doctor", kubeconfig: undefined, domain: "cluster.local", dnsHost: "10.0.0.10", dnsPort: 53 });
    const ha = parseAllDocuments(readFileSync(join(MANIFESTS, "kube-dns-ha.yaml"), "utf8")).map((d) => d.toJS() as KubeObject);
    const kube2sky = ha.find((o) => o.kind === "Deployment" && o.metadata.name === "kube2sky")?.spec?.template?.spec.containers[0];
    const kube2skyFlags = parseKube2skyFlags(kube2sky?.args ?? [], {});
    expect(config).toMatchObject({ etcdServer: kube2skyFlags.etcdServer, etcdCaFile: kube2skyFlags.etcdCaFile, etcdCertFile: kube2skyFlags.etcdCertFile });
    const svc = objectsIn(join(MANIFESTS, "kube-dns-svc.yaml"))[0];
    expect(svc?.spec?.clusterIP).toBe("10.0.0.10");
  });

  it("binds a service account that may list services, endpointslices and pods, and nothing else", () => {
    expect(pod.serviceAccountName).toBe("kube-dns-doctor");
    const role = objects.find((o) => o.kind === "ClusterRole") as unknown as { rules: { apiGroups: string[]; resources: string[]; verbs: string[] }[] };
    const granted = role.rules.flatMap((r) => r.resources.flatMap((res) => r.verbs.map((v) => `${r.apiGroups[0]}/${res}:${v}`))).sort();
    expect(granted).toEqual(["/pods:list", "/services:list", "discovery.k8s.io/endpointslices:list"]);
    const binding = objects.find((o) => o.kind === "ClusterRoleBinding") as unknown as { subjects: { name: string; namespace: string }[]; roleRef: { name: string } };
    expect(binding.subjects).toEqual([{ kind: "ServiceAccount", name: "kube-dns-doctor", namespace: "kube-system" }]);
    expect(binding.roleRef.name).toBe("system:kube-dns-doctor");
  });
});

function mebibytes(quantity: string | undefined): number {
  const match = /^(\d+)(Mi|Gi)$/.exec(quantity ?? "");
  if (match === null) throw new Error(`not a memory quantity in Mi or Gi: ${String(quantity)}`);
  return Number(match[1]) * (match[2] === "Gi" ? 1024 : 1);
}

function millicores(quantity: string | undefined): number {
  if (quantity === undefined) throw new Error("no CPU quantity");
  return quantity.endsWith("m") ? Number(quantity.slice(0, -1)) : Number(quantity) * 1000;
}

describe.each(["kube2sky", "skydns", "exec-healthz", "launcher"])("docker/%s.Dockerfile", (program) => {
  const dockerfile = readFileSync(join(ROOT, "docker", `${program}.Dockerfile`), "utf8");

  it("is multi-stage, runs the package's built entry point as uid 1000, and starts the final stage from scratch", () => {
    expect(dockerfile.match(/^FROM /gm)?.length).toBeGreaterThanOrEqual(3);
    expect(dockerfile.match(/^FROM .*$/gm)?.at(-1)).toBe("FROM scratch");
    expect(dockerfile).toMatch(/^USER 1000:1000$/m);
    expect(dockerfile).toContain(`--filter "@kube-dns/${program}..." build`);
    const entrypoint = JSON.parse(dockerfile.match(/^ENTRYPOINT (.+)$/m)?.[1] ?? "[]") as string[];
    expect(entrypoint).toEqual(["node", "/app/dist/main.js"]);
    const bin = (JSON.parse(readFileSync(join(ROOT, "packages", program, "package.json"), "utf8")) as { bin: Record<string, string> }).bin;
    expect(Object.values(bin)).toEqual(["./dist/main.js"]);
  });

  // pnpm deploy copies a package and its dependencies: tens of seconds on two busy cores.
  it("deploys, as the Dockerfile's build stage does, to a self-contained folder whose entry point runs", { timeout: 120_000 }, () => {
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

/**
 * What `kube-dns up` runs is what manifests/kube-dns.yaml ships: the launcher writes its own wiring (pod.ts), so this
 * holds the two together. Every container of the manifest is a child of the launcher's pod running the same program
 * (etcd of the shipped version), with the same flags and values, apart from addresses and ports, which differ on
 * purpose (one machine, not one pod network); every port the manifest opens is a flag both set, and every probe asks
 * the same path of the same flag's port.
 */
describe("kube-dns up runs the pod that manifests/kube-dns.yaml ships", () => {
  const containers = podContainers("kube-dns.yaml");
  // Against a cluster (--kubeconfig), as the manifest runs: the pod's four containers, no local API server.
  const up = parseCommandLine(["up", "--kubeconfig=/dev/null", "--from-source"], {}) as UpConfig;
  const plan = planPod(up);
  const CHILD_OF: Record<string, string> = { etcd: "etcd", kube2sky: "kube2sky", skydns: "skydns", healthz: "exec-healthz" };
  // Flags whose values are where things listen or connect (or keep their data): the same flag, another value.
  const WHERE = new Set([
    "--data-dir", "--listen-client-urls", "--advertise-client-urls", "--listen-peer-urls", "--initial-advertise-peer-urls", "--initial-cluster",
    "--etcd-server", "--healthz-port", "--machines", "--addr", "--metrics-addr", "--port",
  ]);
  // Flags the launcher adds, and why a real cluster does without them.
  const LOCAL_ONLY: Record<string, readonly string[]> = {
    // One terminal shows every container's output: etcd's info lines would drown the rest.
    etcd: ["--logger", "--log-level"],
    // In a cluster, kube2sky finds the API server through its service account.
    kube2sky: ["--kubecfg-file"],
    // One machine: exec-healthz listens on loopback, not on the pod's IP, and prints only failures.
    "exec-healthz": ["--address", "--quiet"],
    skydns: [],
  };
  const childOf = (name: string) => {
    const child = plan.children.find((c) => c.name === CHILD_OF[name]);
    if (child === undefined) throw new Error(`kube-dns up runs no ${CHILD_OF[name]}`);
    return child;
  };
  const flagsOf = (args: readonly string[]): Map<string, string> =>
    new Map(args.filter((arg) => arg.startsWith("--")).map((arg) => [arg.split("=")[0]!, arg.slice(arg.split("=")[0]!.length + 1)]));
  // The program's own flags: after its entry point (main.ts or main.js), or every argument of etcd.
  const childFlags = (name: string) => {
    const args = childOf(name).args ?? [];
    const entry = args.findIndex((arg) => /main\.[jt]s$/.test(arg));
    return flagsOf(args.slice(entry + 1));
  };
  const manifestFlags = (c: Container) => flagsOf(c.command ?? c.args ?? []);
  // exec-healthz's command names skydns's address; the rest of it must be the same.
  const lookup = (cmd: string | undefined) => cmd?.replace(/ -port=\d+/, "").replace(/\d+\.\d+\.\d+\.\d+/g, "ADDRESS");
  const portOf = (value: string) => Number(/(\d+)$/.exec(value)?.[1]);

  it("has a child for every container, running the same program", () => {
    expect(plan.children.map((c) => c.name)).toEqual(containers.map((c) => CHILD_OF[c.name]));
    for (const c of containers) {
      if (c.name === "etcd") {
        const version = execFileSync(childOf("etcd").command, ["--version"], { encoding: "utf8" });
        expect(c.image).toBe(`quay.io/coreos/etcd:v${/etcd Version: (\S+)/.exec(version)?.[1]}`);
      } else {
        expect(c.image.split(":")[0], c.name).toBe(`kube-dns/${CHILD_OF[c.name]}`);
        expect((childOf(c.name).args ?? []).join(" "), c.name).toContain(join("packages", CHILD_OF[c.name]!, "src", "main.ts"));
      }
    }
  });

  it("passes the same flags with the same values, apart from addresses and ports", () => {
    for (const c of containers) {
      const program = CHILD_OF[c.name]!;
      const shipped = manifestFlags(c);
      const local = childFlags(c.name);
      for (const [flag, value] of shipped) {
        expect(local.has(flag), `${program} ${flag}`).toBe(true);
        if (WHERE.has(flag)) continue;
        if (flag === "--cmd") expect(lookup(local.get(flag)), `${program} ${flag}`).toBe(lookup(value));
        else if (flag === "--domain") expect(local.get(flag)?.replace(/\.$/, ""), `${program} ${flag}`).toBe(value.replace(/\.$/, ""));
        else expect(local.get(flag), `${program} ${flag}`).toBe(value);
      }
      const extra = [...local.keys()].filter((flag) => !shipped.has(flag));
      expect(extra, `${program}: flags only kube-dns up passes`).toEqual(LOCAL_ONLY[program]);
    }
  });

  it("opens every port of the manifest through a flag it sets too, and probes the same path of the same flag's port", () => {
    const all = containers.map((c) => ({ c, flags: manifestFlags(c) }));
    // The flag that sets a port, in whichever container sets it (skydns's liveness asks exec-healthz's port).
    const flagFor = (port: number) => {
      for (const { c, flags } of all) for (const [flag, value] of flags) if (WHERE.has(flag) && portOf(value) === port) return { container: c.name, flag };
      throw new Error(`no flag sets port ${port}`);
    };
    for (const c of containers) {
      for (const port of c.ports ?? []) {
        const { container: owner, flag } = flagFor(port.containerPort);
        expect(owner, `${c.name} port ${port.containerPort}`).toBe(c.name);
        expect(childFlags(c.name).has(flag), `${c.name} ${flag}`).toBe(true);
      }
      for (const kind of ["readiness", "liveness"] as const) {
        const probe = c[`${kind}Probe`]?.httpGet;
        if (probe === undefined) continue;
        const url = new URL(childOf(c.name)[kind]?.url ?? "http://missing/");
        expect(url.pathname, `${c.name} ${kind}`).toBe(probe.path);
        const { container: owner, flag } = flagFor(probe.port);
        expect(portOf(childFlags(owner).get(flag) ?? ""), `${c.name} ${kind} port`).toBe(Number(url.port));
      }
    }
  });
});
