import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseFlags as parseExecHealthzFlags } from "@kube-dns/exec-healthz";
import { parseFlags as parseKube2skyFlags } from "@kube-dns/kube2sky";
import { parseFlags as parseSkydnsFlags } from "@kube-dns/skydns";
import { describe, expect, it } from "vitest";
import { parseAllDocuments } from "yaml";

// manifests/kube-dns-ha.yaml, read as the API server and the programs would: every member named, found without DNS,
// and given to every client; every program's flags its real ones; every workload spread, budgeted and hardened.
const MANIFESTS = join(dirname(fileURLToPath(import.meta.url)), "..", "manifests");

interface Container {
  name: string;
  command?: string[];
  args?: string[];
  volumeMounts?: Array<{ name: string; mountPath: string }>;
  securityContext?: unknown;
}
interface PodTemplate {
  metadata: { labels: Record<string, string> };
  spec: {
    containers: Container[];
    hostAliases?: Array<{ ip: string; hostnames: string[] }>;
    dnsPolicy?: string;
    affinity?: { podAntiAffinity?: { preferredDuringSchedulingIgnoredDuringExecution?: Array<{ podAffinityTerm: { topologyKey: string; labelSelector: { matchLabels: Record<string, string> } } }> } };
    volumes?: Array<{ name: string; secret?: { secretName: string; items: Array<{ key: string; path: string }> } }>;
  };
}
interface KubeObject {
  kind: string;
  metadata: { name: string; namespace?: string };
  spec: {
    replicas?: number;
    podManagementPolicy?: string;
    template?: PodTemplate;
    selector?: Record<string, string> & { matchLabels?: Record<string, string> };
    clusterIP?: string;
    publishNotReadyAddresses?: boolean;
    maxUnavailable?: number;
    minAvailable?: number;
  };
}

const objects = (file: string): KubeObject[] => parseAllDocuments(readFileSync(join(MANIFESTS, file), "utf8")).map((d) => d.toJS() as KubeObject);
const ha = objects("kube-dns-ha.yaml");
const workload = (kind: string, name: string): KubeObject => {
  const found = ha.find((o) => o.kind === kind && o.metadata.name === name);
  if (found === undefined) throw new Error(`no ${kind} ${name}`);
  return found;
};
const template = (o: KubeObject): PodTemplate => o.spec.template as PodTemplate;
const container = (o: KubeObject, name: string): Container => template(o).spec.containers.find((c) => c.name === name) as Container;
const flag = (args: readonly string[], name: string): string | undefined => args.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);

const etcd = workload("StatefulSet", "kube-dns-etcd");
const kube2sky = workload("Deployment", "kube2sky");
const skydns = workload("Deployment", "kube-dns");
const etcdArgs = container(etcd, "etcd").command ?? [];
const memberNames = Array.from({ length: etcd.spec.replicas ?? 0 }, (_, i) => `${etcd.metadata.name}-${i}`);
// What $(POD_NAME) becomes in each member.
const perMember = (text: string): string[] => memberNames.map((name) => text.replaceAll("$(POD_NAME)", name));

describe("manifests/kube-dns-ha.yaml", () => {
  it("runs three etcd members that start together and bootstrap from each other's names", () => {
    expect(etcd.spec.replicas).toBe(3);
    expect(etcd.spec.podManagementPolicy).toBe("Parallel");
    const initial = (flag(etcdArgs, "initial-cluster") ?? "").split(",").map((entry) => entry.split("="));
    expect(initial.map(([name]) => name)).toEqual(memberNames);
    // Each member advertises, as its peer URL, exactly what --initial-cluster says for its name.
    expect(perMember(flag(etcdArgs, "initial-advertise-peer-urls") ?? "")).toEqual(initial.map(([, url]) => url));
    expect(flag(etcdArgs, "name")).toBe("$(POD_NAME)");
  });

  it("needs no DNS to find a member: each name is a fixed cluster IP in every pod's hosts file, on a Service that picks that one pod", () => {
    const services = ha.filter((o) => o.kind === "Service");
    for (const workloadObject of [etcd, kube2sky, skydns]) {
      const aliases = template(workloadObject).spec.hostAliases ?? [];
      expect(template(workloadObject).spec.dnsPolicy, workloadObject.metadata.name).toBe("Default");
      for (const name of memberNames) {
        const alias = aliases.find((a) => a.hostnames.includes(name));
        expect(alias, `${workloadObject.metadata.name}: ${name}`).toBeDefined();
        const service = services.find((s) => s.spec.clusterIP === alias?.ip);
        expect(service?.spec.selector, name).toEqual({ "statefulset.kubernetes.io/pod-name": name });
        // Peers must reach each other before any is ready (a quorum comes first).
        expect(service?.spec.publishNotReadyAddresses, name).toBe(true);
      }
    }
  });

  it("gives kube2sky and skydns every member's client URL, over TLS with a client certificate, with their real flags", () => {
    const clientUrls = perMember(flag(etcdArgs, "advertise-client-urls") ?? "");
    const k2s = parseKube2skyFlags(container(kube2sky, "kube2sky").args ?? [], {});
    const dns = parseSkydnsFlags(container(skydns, "skydns").args ?? [], {});
    expect(k2s.etcdServer.split(",")).toEqual(clientUrls);
    expect(dns.machines).toEqual(clientUrls);
    expect(etcdArgs).toContain("--client-cert-auth");
    for (const [workloadObject, files] of [[kube2sky, [k2s.etcdCaFile, k2s.etcdCertFile, k2s.etcdKeyFile]], [skydns, [dns.caCert, dns.tlsPem, dns.tlsKey]]] as const) {
      for (const file of files) expect(mountedFromSecret(workloadObject, file), `${workloadObject.metadata.name}: ${String(file)}`).toBe(true);
    }
    for (const name of ["cert-file", "key-file", "trusted-ca-file", "peer-cert-file", "peer-key-file", "peer-trusted-ca-file"]) {
      expect(mountedFromSecret(etcd, flag(etcdArgs, name)), name).toBe(true);
    }
    expect(k2s.leaderElectTtlMs).toBeGreaterThanOrEqual(2000);
    expect(parseExecHealthzFlags(container(skydns, "healthz").args ?? [], {}).cmd).toContain(`-port=${dns.addr.port}`);
  });

  it("runs two kube2sky and three skydns, each skydns pod with its exec-healthz, and the kube-dns Service picks skydns only", () => {
    expect(kube2sky.spec.replicas).toBe(2);
    expect(skydns.spec.replicas).toBe(3);
    expect(template(skydns).spec.containers.map((c) => c.name)).toEqual(["skydns", "healthz"]);
    const [service] = objects("kube-dns-svc.yaml");
    const picks = (o: KubeObject): boolean => Object.entries(service?.spec.selector ?? {}).every(([k, v]) => template(o).metadata.labels[k] === v);
    expect([picks(etcd), picks(kube2sky), picks(skydns)]).toEqual([false, false, true]);
  });

  it("spreads each workload over nodes and gives each a disruption budget that keeps it serving", () => {
    const budgets = ha.filter((o) => o.kind === "PodDisruptionBudget");
    for (const o of [etcd, kube2sky, skydns]) {
      const labels = template(o).metadata.labels;
      const term = template(o).spec.affinity?.podAntiAffinity?.preferredDuringSchedulingIgnoredDuringExecution?.[0]?.podAffinityTerm;
      expect(term?.topologyKey, o.metadata.name).toBe("kubernetes.io/hostname");
      expect(term?.labelSelector.matchLabels, o.metadata.name).toEqual(labels);
      const budget = budgets.find((b) => Object.entries(b.spec.selector?.matchLabels ?? {}).every(([k, v]) => labels[k] === v));
      expect(budget, o.metadata.name).toBeDefined();
      const available = budget?.spec.minAvailable ?? (o.spec.replicas ?? 0) - (budget?.spec.maxUnavailable ?? 0);
      // etcd keeps a quorum, skydns a majority of its replicas, kube2sky its writer or the standby.
      expect(available, o.metadata.name).toBeGreaterThanOrEqual(Math.floor((o.spec.replicas ?? 0) / 2) + (o === kube2sky ? 0 : 1));
    }
  });

  it("hardens every container as the single pod does", () => {
    for (const o of [etcd, kube2sky, skydns]) {
      for (const c of template(o).spec.containers) {
        expect(c.securityContext, `${o.metadata.name}/${c.name}`).toEqual({ allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ["ALL"] } });
      }
    }
  });
});

// True when file lies in a volume mounted into one of the workload's containers from the kube-dns-etcd-tls Secret, as an item it has.
function mountedFromSecret(o: KubeObject, file: string | undefined): boolean {
  if (file === undefined) return false;
  return template(o).spec.containers.some((c) =>
    (c.volumeMounts ?? []).some((mount) => {
      const volume = template(o).spec.volumes?.find((v) => v.name === mount.name);
      return volume?.secret?.secretName === "kube-dns-etcd-tls" && volume.secret.items.some((item) => `${mount.mountPath}/${item.path}` === file);
    }),
  );
}
