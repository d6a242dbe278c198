import { describe, expect, it } from "vitest";
import type { PodUnderTest } from "../harness/pod-under-test.js";
import type { PodShell } from "../harness/pod-shell.js";
import type { Transcript } from "../harness/transcript.js";
import { walkthrough } from "../harness/walkthrough.js";

// The names glibc asked skydns for (type A, in order) while resolving name, as skydns's query log shows them.
async function namesAsked(pod: PodUnderTest, shell: PodShell, name: string, transcript: Transcript): Promise<{ code: number; asked: string[] }> {
  const mark = await pod.mark();
  const result = await shell.run("getent", ["hosts", name]);
  const lines = (await pod.queriesSince(mark)).filter((query) => query.type === "A" && query.name.startsWith(name)).map((query) => `${query.name}. ${query.rcode}`);
  // A question glibc resent after its timeout (a server stalled on busy cores) is the same step of the search.
  const asked = lines.filter((line, i) => line !== lines[i - 1]);
  transcript.note(`skydns's query log, type A:\n${asked.join("\n")}`);
  return { code: result.code, asked };
}

/**
 * Seed 002: with `search default.svc.cluster.local svc.cluster.local cluster.local` and `options ndots:5`, a name
 * with fewer than 5 dots is tried with each search domain in order, then as it is; a name with 5 dots or more is tried
 * as it is first. Observed from the server's side (skydns's query log), through glibc as applications resolve.
 */
export function searchPath(pod: () => PodUnderTest): void {
  describe("the search path and the ndots rule, seen from skydns", () => {
    it("a short name is tried in <ns>.svc.cluster.local, then svc.cluster.local, then cluster.local, then as it is", async () => {
      const transcript = walkthrough("search-path");
      const curl = pod().shell("curl", { namespace: "default" }, transcript);
      const { code, asked } = await namesAsked(pod(), curl, "dnsutils", transcript);
      expect(code).toBe(2);
      expect(asked).toEqual([
        "dnsutils.default.svc.cluster.local. NXDOMAIN",
        "dnsutils.svc.cluster.local. NXDOMAIN",
        "dnsutils.cluster.local. NXDOMAIN",
        "dnsutils. NXDOMAIN",
      ]);
    });

    it("the search stops at the first name that exists", async () => {
      const transcript = walkthrough("search-path-stops");
      const curl = pod().shell("curl", { namespace: "default" }, transcript);
      const { code, asked } = await namesAsked(pod(), curl, "kubernetes.default", transcript);
      expect(code).toBe(0);
      expect(asked).toEqual(["kubernetes.default.default.svc.cluster.local. NXDOMAIN", "kubernetes.default.svc.cluster.local. NOERROR"]);
    });

    it("a.b.c.e.f.g (5 dots, ndots:5) is tried as an absolute name first, a.b.c.e (3 dots) last", async () => {
      const transcript = walkthrough("ndots");
      const curl = pod().shell("curl", { namespace: "default" }, transcript);
      const sixLabels = await namesAsked(pod(), curl, "a.b.c.e.f.g", transcript);
      expect(sixLabels.asked).toEqual([
        "a.b.c.e.f.g. NXDOMAIN",
        "a.b.c.e.f.g.default.svc.cluster.local. NXDOMAIN",
        "a.b.c.e.f.g.svc.cluster.local. NXDOMAIN",
        "a.b.c.e.f.g.cluster.local. NXDOMAIN",
      ]);
      const fourLabels = await namesAsked(pod(), curl, "a.b.c.e", transcript);
      expect(fourLabels.asked).toEqual([
        "a.b.c.e.default.svc.cluster.local. NXDOMAIN",
        "a.b.c.e.svc.cluster.local. NXDOMAIN",
        "a.b.c.e.cluster.local. NXDOMAIN",
        "a.b.c.e. NXDOMAIN",
      ]);
    });
  });
}
