import { DnsClient } from "./dns-client.js";

/** ProberResult counts what the prober asked and got: every name it asks exists throughout, so NXDOMAIN is wrong. */
export interface ProberResult {
  readonly asked: number;
  readonly noerror: number;
  readonly nxdomain: number;
  readonly otherRcode: number;
  readonly unanswered: number;
  /** Up to 10 of the names that got NXDOMAIN. */
  readonly nxdomainNames: readonly string[];
}

const IN_FLIGHT = 4;
// Each asker pauses this long between questions: a steady few thousand queries a second, not a flood that would
// take the cores from the changes being timed.
const PAUSE_MS = 1;
const TIMEOUT_MS = 2000;

/** startProber asks the names (round robin, IN_FLIGHT at a time) until stop(), which returns the counts. */
export function startProber(host: string, names: readonly string[]): { stop: () => Promise<ProberResult> } {
  let stopped = false;
  const counts = { asked: 0, noerror: 0, nxdomain: 0, otherRcode: 0, unanswered: 0, nxdomainNames: [] as string[] };
  let next = 0;
  const opened = DnsClient.open(host, 53);
  const worker = async (): Promise<void> => {
    const dns = await opened;
    while (!stopped) {
      const name = names[next++ % names.length]!;
      counts.asked++;
      const reply = await dns.ask(name, "A", TIMEOUT_MS);
      if (reply === undefined) counts.unanswered++;
      else if (reply.rcode === "NOERROR") counts.noerror++;
      else if (reply.rcode === "NXDOMAIN") {
        counts.nxdomain++;
        if (counts.nxdomainNames.length < 10) counts.nxdomainNames.push(name);
      } else counts.otherRcode++;
      await new Promise((resolve) => setTimeout(resolve, PAUSE_MS));
    }
  };
  const workers = Promise.all(Array.from({ length: IN_FLIGHT }, worker));
  return {
    async stop() {
      stopped = true;
      await workers;
      await (await opened).close();
      return counts;
    },
  };
}
