import { describe, expect, it } from "vitest";
import { apiRequest, createNamespace } from "./harness/api-client.js";
import { getentHosts } from "./harness/answers.js";
import { OUTSIDE_IP, OUTSIDE_NAME, type PodUnderTest } from "./harness/pod-under-test.js";
import type { PodShell } from "./harness/pod-shell.js";
import { usePod } from "./harness/use-pod.js";
import { waitForAnswers } from "./harness/wait-answers.js";

/**
 * skydns --autopath through the whole pod (`kube-dns up --autopath`), with glibc (`getent hosts`) and dig +search
 * resolving through pods' kubelet-style resolv.conf, counted from skydns's query log. The resolvers run on the node's
 * loopback, so skydns sees them come from 127.0.0.1 (the kernel's source address for a loopback destination): the
 * test gives a pod of the local cluster that address, as a kubelet reports a pod's IP (`kubectl patch --subresource
 * status`), so the pod record `127-0-0-1.<ns>.pod.cluster.local` names the resolvers' namespace.
 */
const CLIENT_IP = "127.0.0.1";
/**
 * The service looked up from namespace default, as `kubernetes.default` would be: a name in another namespace, found at
 * the second step of the walk. Not `kubernetes.default` itself: exec-healthz asks `kubernetes.default.svc.cluster.local`
 * from the same address every few seconds, which the query log could not tell from the resolver's own questions.
 */
const SERVICE = "web.lab";
const POD_NAME = `${CLIENT_IP.replaceAll(".", "-")}.%s.pod.cluster.local`;

interface Lookup {
  readonly code: number;
  readonly stdout: string;
  /** What skydns was asked, in order, every type: `TYPE name. RCODE`. */
  readonly asked: string[];
  /** The type A questions among them (glibc asks AAAA and A, each down the search path). */
  readonly a: string[];
}

// One lookup from a pod's resolver, with the queries skydns answered for it (a resend after a timeout counted once).
async function lookup(pod: PodUnderTest, shell: PodShell, command: string, args: readonly string[], base: string): Promise<Lookup> {
  const mark = await pod.mark();
  const result = await shell.run(command, args);
  const lines = (await pod.queriesSince(mark)).filter((q) => q.name.startsWith(base)).map((q) => `${q.type} ${q.name}. ${q.rcode}`);
  const asked = lines.filter((line, i) => line !== lines[i - 1]);
  return { code: result.code, stdout: result.stdout, asked, a: asked.filter((line) => line.startsWith("A ")) };
}

// A pod in namespace that holds the resolvers' address, as its kubelet would report it; resolves once skydns has its record.
async function clientPod(pod: PodUnderTest, namespace: string, name: string): Promise<void> {
  await createNamespace(pod.apiserverUrl, namespace);
  expect((await pod.kubectl(["run", name, "-n", namespace, "--image=registry.example.org/sleeper", "--restart=Never"])).code).toBe(0);
  const status = JSON.stringify({ status: { podIP: CLIENT_IP, podIPs: [{ ip: CLIENT_IP }] } });
  const patched = await pod.kubectl(["patch", "pod", name, "-n", namespace, "--subresource=status", "--type=merge", "-p", status]);
  expect(patched.code, patched.stderr).toBe(0);
  await waitForAnswers(pod, POD_NAME.replace("%s", namespace), [CLIENT_IP]);
}

describe("skydns --autopath: a pod's search path walked on the server", () => {
  const pod = usePod({ upArgs: ["--autopath"] });
  let clusterIP = "";
  const rows: string[] = [];
  const row = (what: string, plain: Lookup, searched: Lookup): void => {
    const count = (l: Lookup): string => `${l.asked.length} (${l.a.length} A)`;
    rows.push(`${what.padEnd(44)} ${count(plain).padStart(10)} ${count(searched).padStart(10)}`);
  };

  it("answers getent and dig +search in one query from a pod whose address holds its namespace's pod record, and walks plainly before", async () => {
    await createNamespace(pod().apiserverUrl, "lab");
    const service = { apiVersion: "v1", kind: "Service", metadata: { name: "web" }, spec: { ports: [{ name: "http", port: 80 }] } };
    clusterIP = String(((await apiRequest(pod().apiserverUrl, "POST", "/api/v1/namespaces/lab/services", service)) as { spec?: { clusterIP?: string } }).spec?.clusterIP);
    await waitForAnswers(pod(), `${SERVICE}.svc.cluster.local`, [clusterIP]);
    const shell = pod().shell("autopath-default", { namespace: "default" });
    const getent = (name: string): Promise<Lookup> => lookup(pod(), shell, "getent", ["hosts", name], name);
    const dig = (name: string): Promise<Lookup> => lookup(pod(), shell, "dig", ["+search", "+short", name], name);
    // No pod holds 127.0.0.1 yet: the resolver walks its search path itself.
    const before = { service: await getent(SERVICE), outside: await getent(OUTSIDE_NAME), missing: await getent("nope"), dig: await dig(SERVICE) };
    expect(before.service.a).toEqual([`A ${SERVICE}.default.svc.cluster.local. NXDOMAIN`, `A ${SERVICE}.svc.cluster.local. NOERROR`]);
    expect(before.outside.a[0]).toBe(`A ${OUTSIDE_NAME}.default.svc.cluster.local. NXDOMAIN`);

    await clientPod(pod(), "default", "client");
    const after = { service: await getent(SERVICE), outside: await getent(OUTSIDE_NAME), missing: await getent("nope"), dig: await dig(SERVICE) };
    expect(after.service.a).toEqual([`A ${SERVICE}.default.svc.cluster.local. NOERROR`]);
    expect(getentHosts(after.service.stdout)[0]?.address).toBe(clusterIP);
    expect(after.outside.a).toEqual([`A ${OUTSIDE_NAME}.default.svc.cluster.local. NOERROR`]);
    expect(getentHosts(after.outside.stdout)[0]?.address).toBe(OUTSIDE_IP);
    // dig prints the CNAME skydns added, then the address.
    expect(after.dig.stdout.trim().split("\n")).toEqual([`${SERVICE}.svc.cluster.local.`, clusterIP]);
    expect(after.dig.a, after.dig.asked.join("\n")).toHaveLength(1);
    expect(after.service.asked.length).toBeLessThan(before.service.asked.length);
    // A name that exists nowhere: skydns walks, finds nothing, answers NXDOMAIN, and the resolver walks on itself.
    expect(after.missing.asked).toEqual(before.missing.asked);
    expect(after.missing.code).toBe(2);
    expect(await pod().skydnsMetric("coredns_autopath_success_total")).toBeGreaterThanOrEqual(4);

    row(`getent hosts ${SERVICE}`, before.service, after.service);
    row(`dig +search ${SERVICE}`, before.dig, after.dig);
    row(`getent hosts ${OUTSIDE_NAME} (upstream's)`, before.outside, after.outside);
    row("getent hosts nope (exists nowhere)", before.missing, after.missing);
  });

  it("answers plainly while the address holds pods of two namespaces, and never with the old namespace once the pod is gone and its IP reused", async () => {
    const inDefault = pod().shell("autopath-default-2", { namespace: "default" });
    const inShop = pod().shell("autopath-shop", { namespace: "shop" });
    const plainWalk = (ns: string): string[] => [`A ${SERVICE}.${ns}.svc.cluster.local. NXDOMAIN`, `A ${SERVICE}.svc.cluster.local. NOERROR`];
    // A pod of namespace shop gets 127.0.0.1 too (as hostNetwork pods share the node's address): both answered plainly.
    await clientPod(pod(), "shop", "client");
    expect((await lookup(pod(), inDefault, "getent", ["hosts", SERVICE], SERVICE)).a).toEqual(plainWalk("default"));
    expect((await lookup(pod(), inShop, "getent", ["hosts", SERVICE], SERVICE)).a).toEqual(plainWalk("shop"));

    // The default pod is deleted: 127.0.0.1 is shop's alone.
    expect((await pod().kubectl(["delete", "pod", "client", "-n", "default", "--wait=false"])).code).toBe(0);
    await waitForAnswers(pod(), POD_NAME.replace("%s", "default"), []);
    const shop = await lookup(pod(), inShop, "getent", ["hosts", SERVICE], SERVICE);
    expect(shop.a).toEqual([`A ${SERVICE}.shop.svc.cluster.local. NOERROR`]);
    expect(getentHosts(shop.stdout)[0]?.address).toBe(clusterIP);
    // A resolver still using default's search path (the old pod's) gets the plain answers: its first name is NXDOMAIN.
    expect((await lookup(pod(), inDefault, "getent", ["hosts", SERVICE], SERVICE)).a).toEqual(plainWalk("default"));
    const asked = await pod().dig([`${SERVICE}.default.svc.cluster.local`, "A"]);
    expect(asked.stdout).toContain("status: NXDOMAIN");
    expect(asked.stdout).not.toContain("CNAME");

    console.log(`queries skydns answered per lookup, from namespace default (query log):\n${"lookup".padEnd(44)} ${"plain".padStart(10)} ${"autopath".padStart(10)}\n${rows.join("\n")}`);
  });
});
