import type { Explanation } from "@kube-dns/explain";
import { beforeAll, describe, expect, it } from "vitest";
import { getentHosts, nslookupAnswers, shortAnswers } from "./harness/answers.js";
import { OUTSIDE_IP, OUTSIDE_NAME, type PodUnderTest } from "./harness/pod-under-test.js";
import { eventually } from "./harness/poll.js";
import type { QueryLogEntry } from "./harness/query-log.js";
import { usePod } from "./harness/use-pod.js";

type Client = "getent" | "nslookup";

// A query as skydns's log shows it and as explain lists it: `name. TYPE RCODE`.
const line = (name: string, type: string, rcode: string): string => `${name.replace(/\.$/, "")}. ${type} ${rcode}`;

// exec-healthz's own nslookup, every few seconds; no case here asks this name.
const HEALTHZ_NAME = "kubernetes.default.svc.cluster.local";

// The queries of one lookup, without exec-healthz's; a question resent after the resolver's timeout (a server
// stalled on busy cores) is the same step of the lookup.
function steps(queries: readonly QueryLogEntry[]): string[] {
  const lines = queries.filter((query) => query.name !== HEALTHZ_NAME).map((query) => line(query.name, query.type, query.rcode));
  return lines.filter((text, i) => text !== lines[i - 1]);
}

/** What the real resolver did in a pod of namespace default: its output and the queries skydns answered for it. */
async function resolveInPod(pod: PodUnderTest, client: Client, name: string): Promise<{ code: number; stdout: string; asked: string[] }> {
  const shell = pod.shell(`explain-${client}`, { namespace: "default" });
  const mark = await pod.mark();
  const result = client === "getent" ? await shell.run("getent", ["hosts", name]) : await shell.run("nslookup", [name]);
  return { code: result.code, stdout: result.stdout, asked: steps(await pod.queriesSince(mark)) };
}

interface Explained {
  readonly code: number;
  readonly explanation: Explanation;
  /** The queries explain says the client sends, as `name. TYPE RCODE`. */
  readonly predicted: string[];
  /** The queries explain itself sent, as skydns's log shows them. */
  readonly sent: string[];
}

/** What `kube-dns explain NAME --client CLIENT --json` said, its exit status, and the queries it sent. */
async function explain(pod: PodUnderTest, name: string, client: Client | "glibc"): Promise<Explained> {
  const mark = await pod.mark();
  const result = await pod.kubeDnsExplain([name, "--client", client, "--json"]);
  const sent = steps(await pod.queriesSince(mark));
  expect({ code: result.code, stderr: result.stderr, printed: result.stdout !== "" }).toEqual({ code: result.code === 1 ? 1 : 0, stderr: "", printed: true });
  const explanation = JSON.parse(result.stdout) as Explanation;
  return { code: result.code, explanation, predicted: explanation.queries.map((query) => line(query.name, query.type, query.rcode)), sent };
}

const winnerOf = (explanation: Explanation): Explanation["queries"][number] | undefined =>
  explanation.winner === undefined ? undefined : explanation.queries[explanation.winner];

// Each case: a name typed in a pod of namespace default, and the real resolver that looks it up.
const cases: { title: string; name: string; client: Client; resolves: boolean }[] = [
  { title: "a short service name in the pod's namespace (getent hosts)", name: "web", client: "getent", resolves: true },
  { title: "a short service name in the pod's namespace (nslookup)", name: "web", client: "nslookup", resolves: true },
  { title: "a name in another namespace, svc.otherns", name: "cart.shop", client: "getent", resolves: true },
  { title: "a name that exists nowhere", name: "no-such-service", client: "getent", resolves: false },
  { title: "an FQDN with a trailing dot", name: "web.default.svc.cluster.local.", client: "getent", resolves: true },
  { title: "an external name, forwarded upstream", name: OUTSIDE_NAME, client: "nslookup", resolves: true },
];

// Each real resolver runs alone, so that skydns's log holds its queries only; then explain runs on each name.
describe("kube-dns explain predicts a pod's resolver query for query (skydns's query log)", () => {
  const pod = usePod();
  const resolved = new Map<string, { code: number; stdout: string; asked: string[] }>();
  const explained = new Map<string, Explained>();
  let bareCart: Explained | undefined;

  beforeAll(async () => {
    await pod().kubectl(["create", "namespace", "shop"]);
    await pod().kubectl(["-n", "shop", "create", "service", "clusterip", "cart", "--tcp=80:8080"]);
    await pod().kubectl(["create", "service", "clusterip", "web", "--tcp=80:8080"]);
    for (const name of ["cart.shop.svc.cluster.local", "web.default.svc.cluster.local"]) {
      await eventually(async () => (shortAnswers((await pod().dig(["+short", name])).stdout).length > 0 ? true : undefined), { what: `${name} in skydns`, timeoutMs: 30_000, intervalMs: 200 });
    }
    for (const { name, client } of cases) resolved.set(`${client} ${name}`, await resolveInPod(pod(), client, name));
    for (const { name, client } of cases) explained.set(`${client} ${name}`, await explain(pod(), name, client));
    bareCart = await explain(pod(), "cart", "glibc");
  }, 600_000);

  for (const { title, name, client, resolves } of cases) {
    it(`${title}: ${client === "getent" ? "getent hosts" : "nslookup"} ${name}`, () => {
      const resolver = resolved.get(`${client} ${name}`);
      const { code, explanation, predicted, sent } = explained.get(`${client} ${name}`) ?? expect.unreachable("explain did not run");
      expect(predicted).toEqual(resolver?.asked);
      // explain asks what it shows, and nothing more.
      expect(sent).toEqual(predicted);
      expect(explanation.resolvConf).toBe(`nameserver ${pod().dnsIp}\nsearch default.svc.cluster.local svc.cluster.local cluster.local\noptions ndots:5\n`);

      const winner = winnerOf(explanation);
      expect(winner !== undefined).toBe(resolves);
      expect(code).toBe(resolves ? 0 : 1);
      if (client === "getent") {
        expect(resolver?.code).toBe(resolves ? 0 : 2);
        const printed = getentHosts(resolver?.stdout ?? "");
        expect(printed).toEqual(winner === undefined ? [] : [{ address: winner.answers[0]?.data, names: [winner.name.replace(/\.$/, "")] }]);
      } else {
        const printed = nslookupAnswers(resolver?.stdout ?? "");
        expect(printed).toEqual(winner === undefined ? [] : winner.answers.map((answer) => ({ name: winner.name.replace(/\.$/, ""), address: answer.data })));
      }
    });
  }

  it("says which answers came from which /skydns key, and what a trailing dot saves", async () => {
    const explanation = explained.get("getent cart.shop")?.explanation ?? expect.unreachable("explain did not run");
    const winner = winnerOf(explanation);
    expect(winner?.why).toBe("answered");
    const keys = (await pod().etcdctl(["get", "--prefix", "/skydns/local/cluster/svc/shop/cart/"])).stdout.split("\n").filter((text, i) => i % 2 === 0 && text !== "");
    expect(winner?.keys.map((key) => key.key)).toEqual(keys.filter((key) => key.split("/").length === 8));
    expect(explanation.fixes).toEqual([`use the FQDN with a trailing dot, "cart.shop.svc.cluster.local.": ${explanation.queries.length} queries -> 2`]);
  });

  it("points a name of another namespace to it, and calls a forwarded answer forwarded", () => {
    expect(bareCart?.code).toBe(1);
    expect(bareCart?.explanation.fixes[0]).toContain('use "cart.shop"');
    const outside = explained.get(`nslookup ${OUTSIDE_NAME}`)?.explanation ?? expect.unreachable("explain did not run");
    expect(winnerOf(outside)).toMatchObject({ name: `${OUTSIDE_NAME}.`, why: "forwarded", answers: [{ data: OUTSIDE_IP }] });
    const nowhere = explained.get("getent no-such-service")?.explanation ?? expect.unreachable("explain did not run");
    expect(nowhere.queries.map((query) => query.why)).toEqual(["nxdomain", "nxdomain", "nxdomain", "forwarded", "nxdomain", "nxdomain", "nxdomain", "forwarded"]);
    expect(nowhere.fixes).toEqual(['"no-such-service" does not exist: none of the 8 names asked has a record, and no service is named like it']);
  });

  it("exits 2 with one line when the nameserver does not answer", async () => {
    const result = await pod().kubeDnsExplain(["web", "--timeout", "1s", "--dns-addr", `${pod().dnsIp}:54`]);
    expect(result.code).toBe(2);
    expect(result.stderr.trim().split("\n")).toEqual([`kube-dns explain: no reply from ${pod().dnsIp}:54 within 1000 ms (web.default.svc.cluster.local. A)`]);
  }, 90_000);
});
