import { describe, expect, it } from "vitest";
import { desiredState, type Service } from "@kube-dns/kube2sky";
import { MAX_RECORDS_PER_NAME } from "@kube-dns/msg";
import type { Wanted } from "./compare.js";
import { questionsFor } from "./questions.js";

const web: Service = {
  namespace: "default", name: "web", type: "ClusterIP", clusterIPs: ["10.0.0.53"], externalName: "",
  ports: [{ name: "http", protocol: "TCP", port: 80 }], publishNotReadyAddresses: false,
};

// The records kube2sky's own computation implies for these services, flattened as the doctor reads the API.
function implied(services: Service[]): Map<string, Wanted> {
  const wanted = new Map<string, Wanted>();
  for (const set of desiredState(services, [], [], "cluster.local.").values()) for (const [key, value] of set.records) wanted.set(key, { value, object: "x" });
  return wanted;
}

function summary(wanted: Map<string, Wanted>, records: Map<string, string>): string[] {
  return questionsFor(wanted, records, "/skydns").map((q) => `${q.type} ${q.name} ${[...q.expected.keys()].join(",")}`).sort();
}

describe("questionsFor", () => {
  it("asks A, SRV, PTR and TXT of a service's names, expecting what etcd holds", () => {
    const wanted = implied([web]);
    const records = new Map([...wanted].map(([key, want]) => [key, want.value]));
    expect(summary(wanted, records)).toEqual([
      "A web.default.svc.cluster.local. 10.0.0.53",
      "PTR 53.0.0.10.in-addr.arpa. web.default.svc.cluster.local.",
      "SRV _http._tcp.web.default.svc.cluster.local. 80 web.default.svc.cluster.local.",
      "TXT dns-version.cluster.local. 1.1.0",
    ]);
  });

  it("still asks a name whose records etcd lacks, expecting no answer", () => {
    const wanted = implied([web]);
    expect(summary(wanted, new Map())).toContain("A web.default.svc.cluster.local. ");
  });

  it("expects what etcd holds at the name, an operator's record there and a stale one included, a corrupt one not", () => {
    const wanted = implied([web]);
    const records = new Map([...wanted].map(([key, want]) => [key, want.value]));
    records.set("/skydns/local/cluster/svc/default/web/extra", '{"host":"10.9.9.9"}');
    records.set("/skydns/local/cluster/svc/default/web/broken", "{");
    expect(summary(wanted, records)).toContain("A web.default.svc.cluster.local. 10.0.0.53,10.9.9.9");
  });

  it("expects only the first MAX_RECORDS_PER_NAME records of a name by key, as skydns answers", () => {
    const wanted = implied([web]);
    const records = new Map<string, string>();
    for (let i = 0; i <= MAX_RECORDS_PER_NAME; i++) records.set(`/skydns/local/cluster/svc/default/web/${String(i).padStart(5, "0")}`, `{"host":"10.1.${i >> 8}.${i & 255}"}`);
    const a = questionsFor(wanted, records, "/skydns").find((q) => q.type === "A" && q.name === "web.default.svc.cluster.local.");
    expect(a?.expected.size).toBe(MAX_RECORDS_PER_NAME);
    expect(a?.expected.has("10.1.3.232")).toBe(false); // record 1000, past the cap
  });
});
