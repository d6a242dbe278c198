import { describe, expect, it } from "vitest";
import { stringify } from "yaml";
import { manifestFile } from "../harness/manifest-file.js";
import { eventually } from "../harness/poll.js";
import type { PodUnderTest } from "../harness/pod-under-test.js";
import { usePod } from "../harness/use-pod.js";
import { walkthrough } from "../harness/walkthrough.js";
import { EXTERNAL_NAME, TESTS, type DnsTest, type ServiceSpec } from "./kubernetes-e2e-dns.cases.js";

// The Kubernetes e2e DNS tests (dns.go), each in a namespace of its own on the whole pod: the objects created with
// kubectl, the probes run by real dig and getent from a pod's resolv.conf, retried until they pass, as the e2e's
// querier loops (here for 30 s, not 600).

const PROBE_TIMEOUT_MS = 30_000;
let namespaces = 0;

function serviceOf(spec: ServiceSpec): object {
  const base = { apiVersion: "v1", kind: "Service", metadata: { name: spec.name } };
  if (spec.externalName !== undefined) return { ...base, spec: { type: "ExternalName", externalName: spec.externalName } };
  return { ...base, spec: { selector: spec.selector, ports: [{ port: 80, name: "http", protocol: "TCP" }], ...(spec.headless === true ? { clusterIP: "None" } : {}) } };
}

function probePodOf(test: DnsTest): object {
  const { labels, hostname, subdomain } = test.pod;
  return {
    apiVersion: "v1",
    kind: "Pod",
    metadata: { name: "dns-test", ...(labels ? { labels } : {}) },
    spec: { hostname, subdomain, containers: [{ name: "webserver", image: "registry.k8s.io/e2e-test-images/agnhost:2.53", ports: [{ name: "http", containerPort: 80 }] }] },
  };
}

async function newNamespace(pod: PodUnderTest, transcript: ReturnType<typeof walkthrough>): Promise<string> {
  const namespace = `dns-${process.pid}-${++namespaces}`;
  const created = await pod.kubectl(["create", "namespace", namespace], transcript);
  expect(created.code, created.stderr).toBe(0);
  return namespace;
}

async function jsonpath(pod: PodUnderTest, args: readonly string[], path: string): Promise<string> {
  const result = await pod.kubectl([...args, "-o", `jsonpath=${path}`]);
  if (result.code !== 0) throw new Error(result.stderr);
  return result.stdout.trim();
}

function reverseName(ip: string): string {
  return `${ip.split(".").reverse().join(".")}.in-addr.arpa.`;
}

describe("kubernetes/kubernetes test/e2e/network/dns.go, as a pod's dig and getent ask", () => {
  const pod = usePod();

  it.each(TESTS.map((test) => [test.it, test] as const))("%s", async (_title, test) => {
    const transcript = walkthrough(`k8s-e2e-dns-${TESTS.indexOf(test)}`);
    const namespace = await newNamespace(pod(), transcript);
    const objects = [...test.services.map(serviceOf), probePodOf(test)];
    const file = manifestFile("dns-test.yaml", objects.map((object) => stringify(object)).join("---\n"), transcript);
    const created = await pod().kubectl(["create", "-n", namespace, "-f", file], transcript);
    expect(created.code, created.stderr).toBe(0);
    const podIP = await jsonpath(pod(), ["get", "pod", "dns-test", "-n", namespace], "{.status.podIP}");
    const expand = (name: string): string => name.replaceAll("{ns}", namespace);
    const lookups = test.names.map((name) => [expand(name), name.startsWith("_") ? "SRV" : "A"]);
    // The querier's PodARecord: its own address, dashed, in its namespace's pod subdomain.
    lookups.push([`${podIP.replaceAll(".", "-")}.${namespace}.pod.cluster.local`, "A"]);
    if (test.ptrOf !== undefined) lookups.push([reverseName(await jsonpath(pod(), ["get", "service", test.ptrOf, "-n", namespace], "{.spec.clusterIP}")), "PTR"]);
    const shell = pod().shell(`querier-${namespace}`, { namespace, dnsPolicy: "ClusterFirst", dnsConfig: test.pod.dnsConfig }, transcript);
    const probes = [
      ...lookups.flatMap(([name, type]) => ["+notcp", "+tcp"].map((transport) => ({ command: "dig", args: [transport, "+noall", "+answer", "+search", name!, type!] }))),
      ...(test.hostEntries ?? []).map((name) => ({ command: "getent", args: ["hosts", expand(name)] })),
    ];
    let failing: string[] = [];
    await eventually(async () => {
      failing = [];
      for (const probe of probes) {
        const result = await shell.run(probe.command, probe.args);
        if (result.stdout.trim() === "") failing.push(`${probe.command} ${probe.args.join(" ")}`);
      }
      return failing.length === 0 ? true : undefined;
    }, { what: "every probe to print an answer", timeoutMs: PROBE_TIMEOUT_MS, intervalMs: 500 }).catch(() => undefined);
    expect(failing).toEqual([]);
  });

  it(EXTERNAL_NAME.it, async () => {
    const transcript = walkthrough("k8s-e2e-dns-external-name");
    const namespace = await newNamespace(pod(), transcript);
    const fqdn = `${EXTERNAL_NAME.service}.${namespace}.svc.cluster.local`;
    const shell = pod().shell(`querier-${namespace}`, { namespace }, transcript);
    for (const [i, step] of EXTERNAL_NAME.steps.entries()) {
      if (i === 0) {
        const file = manifestFile("dns-test-service-3.json", JSON.stringify({ apiVersion: "v1", kind: "Service", metadata: { name: EXTERNAL_NAME.service }, spec: step.spec }), transcript);
        expect((await pod().kubectl(["create", "-n", namespace, "-f", file], transcript)).code).toBe(0);
      } else {
        const patched = await pod().kubectl(["patch", "service", EXTERNAL_NAME.service, "-n", namespace, "--type=merge", "-p", JSON.stringify({ spec: step.spec })], transcript);
        expect(patched.code, patched.stderr).toBe(0);
      }
      const expected = step.expect === "{clusterIP}" ? await jsonpath(pod(), ["get", "service", EXTERNAL_NAME.service, "-n", namespace], "{.spec.clusterIP}") : step.expect;
      let printed = "";
      await eventually(async () => {
        printed = (await shell.run("dig", ["+short", fqdn, step.type])).stdout.trim();
        return printed === expected ? true : undefined;
      }, { what: `dig +short ${fqdn} ${step.type} to print ${expected}`, timeoutMs: PROBE_TIMEOUT_MS, intervalMs: 500 }).catch(() => undefined);
      expect(printed).toBe(expected);
    }
  });
});
