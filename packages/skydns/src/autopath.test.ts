import { addressRecord, podLabel, storedRecord, type StoredRecord } from "@kube-dns/msg";
import dnsPacket, { type Answer, type RecordType } from "dns-packet";
import { describe, expect, it } from "vitest";
import { Autopath } from "./autopath.js";
import { Handler } from "./handler.js";
import { IndexStore } from "./index-store.js";
import { PreparedReplies } from "./prepared.js";
import { PROTO_TCP, PROTO_UDP, Stats } from "./stats.js";
import { zoneFor, Zones } from "./zone.js";

const DOMAIN = "cluster.local.";
const POD_IP = "10.244.1.5";

const podRecord = (namespace: string, ip = POD_IP, host = ip): StoredRecord => storedRecord(`${podLabel(ip)}.${namespace}.pod.cluster.local`, addressRecord(host));
const service = (name: string, ip: string): StoredRecord => storedRecord(`${name}.svc.cluster.local`, addressRecord(ip));

// An index fed as the watch feeds it, with the autopath table following each change.
function indexOf(records: readonly StoredRecord[], hostSearches: readonly string[] = []): { store: IndexStore; autopath: Autopath; put: (r: StoredRecord) => Set<string>; del: (r: StoredRecord) => Set<string> } {
  const store = new IndexStore("/skydns");
  const autopath = new Autopath(store, DOMAIN, hostSearches);
  let revision = 1;
  autopath.track(store.replaceAll(records.map((r) => ({ key: r.key, value: r.value })), revision, 1000));
  const apply = (key: string, value: string | undefined): Set<string> => {
    const changed = store.apply([{ key, value }], ++revision, 1000 + revision);
    autopath.track(changed);
    return changed;
  };
  return { store, autopath, put: (r) => apply(r.key, r.value), del: (r) => apply(r.key, undefined) };
}

describe("Autopath: which queries walk the search path", () => {
  const walk = ["web.default.svc.cluster.local.", "web.svc.cluster.local.", "web.cluster.local.", "web.corp.example.org.", "web."];

  it("walks the pod's search path, node search domains last, for the first name of a pod in the name's namespace", () => {
    const { autopath } = indexOf([podRecord("default")], ["corp.example.org."]);
    expect(autopath.searchFor("web.default.svc.cluster.local.", POD_IP)).toEqual(walk);
    expect(autopath.searchFor("web.default.svc.cluster.local.", `::ffff:${POD_IP}`)).toEqual(walk);
    expect(autopath.searchFor("kubernetes.default.default.svc.cluster.local.", POD_IP)?.[1]).toBe("kubernetes.default.svc.cluster.local.");
  });

  it.each([
    ["a client with no pod record", "web.default.svc.cluster.local.", "10.244.9.9"],
    ["a client of unknown address", "web.default.svc.cluster.local.", undefined],
    ["a name of another namespace", "web.other.svc.cluster.local.", POD_IP],
    ["the namespace's own name (no base)", "default.svc.cluster.local.", POD_IP],
    ["a pod name", "web.default.pod.cluster.local.", POD_IP],
    ["a name outside the domain", "web.default.svc.example.org.", POD_IP],
  ])("answers plainly %s", (_title, name, client) => {
    const { autopath } = indexOf([podRecord("default")]);
    expect(autopath.searchFor(name, client)).toBeUndefined();
  });

  it("answers plainly once the pod's record is deleted", () => {
    const { autopath, del } = indexOf([podRecord("default")]);
    del(podRecord("default"));
    expect(autopath.namespaceOf(POD_IP)).toBeUndefined();
    expect(autopath.searchFor("web.default.svc.cluster.local.", POD_IP)).toBeUndefined();
  });

  it("answers plainly while the address holds pod records of two namespaces (hostNetwork pods, a reused IP not yet cleaned up)", () => {
    const { autopath, del } = indexOf([podRecord("default"), podRecord("other")]);
    expect(autopath.namespaceOf(POD_IP)).toBeUndefined();
    expect(autopath.searchFor("web.default.svc.cluster.local.", POD_IP)).toBeUndefined();
    expect(autopath.searchFor("web.other.svc.cluster.local.", POD_IP)).toBeUndefined();
    del(podRecord("default"));
    expect(autopath.searchFor("web.other.svc.cluster.local.", POD_IP)?.[0]).toBe("web.other.svc.cluster.local.");
  });

  it("follows a reused IP to its new namespace, and never walks the old namespace's names for it", () => {
    const { autopath, put, del } = indexOf([podRecord("default")]);
    del(podRecord("default"));
    put(podRecord("other"));
    expect(autopath.namespaceOf(POD_IP)).toBe("other");
    expect(autopath.searchFor("web.default.svc.cluster.local.", POD_IP)).toBeUndefined();
    expect(autopath.searchFor("web.other.svc.cluster.local.", POD_IP)?.[1]).toBe("web.svc.cluster.local.");
  });

  it("answers plainly for a pod name whose record holds another address (a record written by hand)", () => {
    const { autopath } = indexOf([podRecord("default", POD_IP, "10.9.9.9")]);
    expect(autopath.searchFor("web.default.svc.cluster.local.", POD_IP)).toBeUndefined();
  });

  it("finds IPv6 pods by their dashed label", () => {
    const { autopath } = indexOf([podRecord("default", "fd00::5")]);
    expect(autopath.namespaceOf("fd00::5")).toBe("default");
  });
});

// The handler with --autopath over a small cluster: `kubernetes.default`, `api.default` and `web.team` services, and
// the pod at POD_IP in namespace `team`.
function handlerOf(): { handler: Handler; plain: Handler; uncached: Handler; stats: Stats; index: ReturnType<typeof indexOf>; cache: PreparedReplies } {
  const index = indexOf([service("kubernetes.default", "10.0.0.1"), service("api.default", "10.0.0.2"), service("web.team", "10.0.0.3"), podRecord("team")]);
  const zone = zoneFor({ domain: DOMAIN, nsAddresses: ["10.0.0.10"], ttlSeconds: 30, minTtlSeconds: 0, wildcards: false });
  const source = { store: index.store, zone, prefix: "/skydns" };
  const stats = new Stats();
  const cache = new PreparedReplies({ maxAnswers: 100, maxDenials: 100 }, stats, () => index.store.serial);
  return {
    handler: new Handler({ source, zones: new Zones(zone), forwarder: undefined, roundRobin: true, prepared: cache, autopath: index.autopath }),
    plain: new Handler({ source, zones: new Zones(zone), forwarder: undefined, roundRobin: true, prepared: undefined }),
    uncached: new Handler({ source, zones: new Zones(zone), forwarder: undefined, roundRobin: true, prepared: undefined, autopath: index.autopath }),
    stats, index, cache,
  };
}

interface Seen {
  readonly rcode: number;
  readonly answers: string[];
  readonly authorities: string[];
  readonly searched: boolean;
  readonly bytes: Buffer;
}

async function ask(handler: Handler, name: string, client: string | undefined, type: RecordType = "A", proto: typeof PROTO_UDP | typeof PROTO_TCP = PROTO_UDP): Promise<Seen> {
  const handled = await handler.answer(dnsPacket.encode({ id: 5, flags: dnsPacket.RECURSION_DESIRED, questions: [{ name, type, class: "IN" }] }), proto, client);
  const reply = dnsPacket.decode(handled.bytes!);
  const show = (rr: Answer): string => `${rr.name} ${rr.type} ${"ttl" in rr ? rr.ttl : ""} ${rr.type === "SOA" ? "" : "data" in rr ? String(rr.data) : ""}`.trim();
  return { rcode: reply.flags! & 0xf, answers: (reply.answers ?? []).map(show), authorities: (reply.authorities ?? []).map((rr) => rr.type), searched: handled.searched, bytes: handled.bytes! };
}

describe("Handler with --autopath", () => {
  const FIRST = "kubernetes.default.team.svc.cluster.local";

  it("answers a pod's first search name with a CNAME to the name that exists, then its records, under the records' TTL", async () => {
    const { handler, stats } = handlerOf();
    const seen = await ask(handler, FIRST, POD_IP);
    expect(seen).toMatchObject({ rcode: 0, searched: true });
    expect(seen.answers).toEqual([`${FIRST} CNAME 30 kubernetes.default.svc.cluster.local`, "kubernetes.default.svc.cluster.local A 30 10.0.0.1"]);
    expect(stats.preparedHits).toBe(0);
    expect((await ask(handler, FIRST.toUpperCase(), POD_IP, "A", PROTO_TCP)).answers).toHaveLength(2);
    expect(stats.preparedHits).toBe(1);
  });

  it("gives a searched reply again byte for byte as the full path writes it (A, NODATA, a name found at once)", async () => {
    const { handler, uncached, stats } = handlerOf();
    for (const [name, type] of [[FIRST, "A"], [FIRST, "AAAA"], ["web.team.svc.cluster.local", "A"]] as const) {
      for (let i = 0; i < 3; i++) expect((await ask(handler, name, POD_IP, type)).bytes.equals((await ask(uncached, name, POD_IP, type)).bytes)).toBe(true);
    }
    expect(stats.preparedHits).toBe(6);
  });

  it("answers NODATA behind the CNAME when the name found has no records of the type", async () => {
    const { handler } = handlerOf();
    const seen = await ask(handler, FIRST, POD_IP, "AAAA");
    expect(seen).toMatchObject({ rcode: 0, searched: true, authorities: ["SOA"] });
    expect(seen.answers).toEqual([`${FIRST} CNAME 30 kubernetes.default.svc.cluster.local`]);
  });

  it("never gives a searched reply to a client answered plainly, nor a plain one to a pod, whichever asked first", async () => {
    for (const order of [["pod", "other"], ["other", "pod"]]) {
      const { handler, plain } = handlerOf();
      const expected = await ask(plain, FIRST, undefined);
      expect(expected.rcode).toBe(3);
      for (let i = 0; i < 3; i++) {
        for (const who of order) {
          const seen = await ask(handler, FIRST, who === "pod" ? POD_IP : "10.244.7.7");
          if (who === "pod") expect(seen.answers[0]).toContain("CNAME");
          else expect(seen.bytes.equals(expected.bytes)).toBe(true);
        }
      }
    }
  });

  it("answers plainly once the pod's address is reused by a pod of another namespace, the searched reply prepared before", async () => {
    const { handler, index, cache, plain } = handlerOf();
    expect((await ask(handler, FIRST, POD_IP)).searched).toBe(true);
    cache.invalidate(index.del(podRecord("team")));
    cache.invalidate(index.put(podRecord("shop")));
    const seen = await ask(handler, FIRST, POD_IP);
    expect(seen.searched).toBe(false);
    expect(seen.bytes.equals((await ask(plain, FIRST, POD_IP)).bytes)).toBe(true);
    expect((await ask(handler, "kubernetes.default.shop.svc.cluster.local", POD_IP)).answers[0]).toBe("kubernetes.default.shop.svc.cluster.local CNAME 30 kubernetes.default.svc.cluster.local");
  });

  it("answers the name asked plainly when it exists, and stops answering from further down once it comes to exist", async () => {
    const { handler, plain, index, cache } = handlerOf();
    expect((await ask(handler, FIRST, POD_IP)).answers).toHaveLength(2);
    cache.invalidate(index.put(service("kubernetes.default.team", "10.0.0.77")));
    const seen = await ask(handler, FIRST, POD_IP);
    expect(seen.answers).toEqual([`${FIRST} A 30 10.0.0.77`]);
    expect(seen.bytes.equals((await ask(plain, FIRST, POD_IP)).bytes)).toBe(true);
  });

  it("answers plainly (NXDOMAIN) when no name of the walk exists or the walk meets an error", async () => {
    const { handler, plain } = handlerOf();
    const seen = await ask(handler, "nope.team.svc.cluster.local", POD_IP);
    expect(seen).toMatchObject({ rcode: 3, searched: false, answers: [] });
    expect(seen.bytes.equals((await ask(plain, "nope.team.svc.cluster.local", POD_IP)).bytes)).toBe(true);
  });

  it("counts a searched reply each time it is given again", async () => {
    const { handler, stats } = handlerOf();
    const counted: boolean[] = [];
    for (let i = 0; i < 3; i++) counted.push((await handler.answer(dnsPacket.encode({ id: i, questions: [{ name: FIRST, type: "A" }] }), PROTO_UDP, POD_IP)).searched);
    expect(counted).toEqual([true, true, true]);
    expect(stats.preparedHits).toBe(2);
  });
});
