import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import { REPO_ROOT } from "../launcher-process.js";
import type { Probe } from "./probe-watch.js";

/** Resources are a container's requests or limits, in millicores and bytes (0: not set). */
export interface Resources {
  readonly millicores: number;
  readonly bytes: number;
}

/** ManifestContainer is what the suite checks a running container against: its resources and the probes it carries. */
export interface ManifestContainer {
  readonly name: string;
  readonly requests: Resources;
  readonly limits: Resources;
}

interface RawContainer {
  name: string;
  image: string;
  resources?: { requests?: Record<string, string | number>; limits?: Record<string, string | number> };
  readinessProbe?: { httpGet?: { port: number; path: string }; timeoutSeconds?: number };
  livenessProbe?: { httpGet?: { port: number; path: string }; timeoutSeconds?: number };
}

const UNITS: Record<string, number> = { "": 1, k: 1e3, M: 1e6, G: 1e9, Ki: 1024, Mi: 1024 ** 2, Gi: 1024 ** 3 };

/** quantityBytes reads a Kubernetes memory quantity (`64Mi`, `1G`, `1048576`) as bytes. */
export function quantityBytes(quantity: string | number): number {
  const match = /^(\d+(?:\.\d+)?)([kMG]i?)?$/.exec(String(quantity));
  if (match === null) throw new Error(`not a memory quantity: ${quantity}`);
  return Math.round(Number(match[1]) * (UNITS[match[2] ?? ""] ?? 1));
}

/** quantityMillicores reads a Kubernetes CPU quantity (`100m`, `1`, `0.5`) as millicores. */
export function quantityMillicores(quantity: string | number): number {
  const text = String(quantity);
  return text.endsWith("m") ? Number(text.slice(0, -1)) : Math.round(Number(text) * 1000);
}

/** ManifestPod is what the suite reads of the pod template: its containers' resources, HTTP probes and images. */
export interface ManifestPod {
  readonly containers: ManifestContainer[];
  readonly probes: (Probe & { readonly timeoutSeconds: number })[];
  readonly images: string[];
}

/** manifestContainers reads the pod template of manifests/<file>. */
export function manifestContainers(file = "kube-dns.yaml"): ManifestPod {
  const workload = parse(readFileSync(join(REPO_ROOT, "manifests", file), "utf8")) as { spec: { template: { spec: { containers: RawContainer[] } } } };
  const raw = workload.spec.template.spec.containers;
  const resources = (values: Record<string, string | number> | undefined): Resources => ({
    millicores: values?.["cpu"] === undefined ? 0 : quantityMillicores(values["cpu"]),
    bytes: values?.["memory"] === undefined ? 0 : quantityBytes(values["memory"]),
  });
  const containers = raw.map((c) => ({ name: c.name, requests: resources(c.resources?.requests), limits: resources(c.resources?.limits) }));
  const probes = raw.flatMap((c) =>
    [c.readinessProbe, c.livenessProbe].flatMap((probe) =>
      probe?.httpGet === undefined ? [] : [{ container: c.name, port: probe.httpGet.port, path: probe.httpGet.path, timeoutSeconds: probe.timeoutSeconds ?? 1 }],
    ),
  );
  return { containers, probes, images: raw.map((c) => c.image) };
}
