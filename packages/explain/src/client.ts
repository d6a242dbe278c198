import { normalizeName } from "@kube-dns/msg";
import { searchNames, type SearchInput } from "./search.js";

/**
 * Client is the program whose lookup is explained: `glibc` is an application's res_search for one type (what
 * gethostbyname does for A); `getent` is `getent hosts NAME` (glibc: a whole search for AAAA, then a whole search for
 * A when no AAAA was found); `nslookup` is bind9's `nslookup NAME` (A through its search, then AAAA of the name found).
 */
export type Client = "glibc" | "getent" | "nslookup";

/** CLIENTS lists every Client, for a flag's choices. */
export const CLIENTS: readonly Client[] = ["glibc", "getent", "nslookup"];

/** Reply is what a client needs of an answer to decide its next question: the rcode and how many answer records. */
export interface Reply {
  readonly rcode: string;
  readonly answerCount: number;
}

/** Ask sends one question (a lowercase FQDN and a type) and resolves with its reply. */
export type Ask<R extends Reply> = (name: string, type: string) => Promise<R>;

/** Step is one question the client sent and the reply it got. */
export interface Step<R extends Reply> {
  readonly name: string;
  readonly type: string;
  readonly reply: R;
}

/** Lookup is the client's whole lookup: every step in order, and the index of the one whose answer it used. */
export interface Lookup<R extends Reply> {
  readonly steps: readonly Step<R>[];
  /** The step whose answer the client printed or returned; undefined when the lookup failed. */
  readonly winner: number | undefined;
}

// glibc goes on through the search list after these (res_query.c: HOST_NOT_FOUND, NO_DATA, and TRY_AGAIN from a
// SERVFAIL); any other failure (REFUSED, no reply) ends the search, but the name as it is is still asked when pending.
const GLIBC_GOES_ON = new Set(["NXDOMAIN", "NOERROR", "SERVFAIL"]);

/** runClient plays the client's lookup of rawName against ask, question by question, as the client decides. */
export async function runClient<R extends Reply>(client: Client, input: SearchInput, type: string, ask: Ask<R>): Promise<Lookup<R>> {
  const steps: Step<R>[] = [];
  const send = async (name: string, asked: string): Promise<Step<R>> => {
    const step = { name, type: asked, reply: await ask(name, asked) };
    steps.push(step);
    return step;
  };
  if (client === "nslookup") {
    // bind9 stops at the first name that is not NXDOMAIN, with or without an answer, then asks AAAA of that name.
    for (const name of searchNames(input, "bind9")) {
      const step = await send(name, "A");
      if (step.reply.rcode === "NXDOMAIN") continue;
      const found = steps.length - 1;
      const aaaa = await send(name, "AAAA");
      const winner = step.reply.answerCount > 0 ? found : aaaa.reply.answerCount > 0 ? steps.length - 1 : undefined;
      return { steps, winner };
    }
    return { steps, winner: undefined };
  }
  for (const asked of client === "getent" ? ["AAAA", "A"] : [type]) {
    const winner = await glibcSearch(input, asked, send, steps);
    if (winner !== undefined) return { steps, winner };
  }
  return { steps, winner: undefined };
}

// One res_search: returns the index of the step that answered, or undefined.
async function glibcSearch<R extends Reply>(input: SearchInput, type: string, send: (name: string, type: string) => Promise<Step<R>>, steps: Step<R>[]): Promise<number | undefined> {
  const asIs = normalizeName(input.rawName);
  let stopped = false;
  for (const name of searchNames(input, "glibc")) {
    // After a failure that ends the search, glibc still asks the name as it is if it has not yet.
    if (stopped && name !== asIs) continue;
    const step = await send(name, type);
    if (step.reply.rcode === "NOERROR" && step.reply.answerCount > 0) return steps.length - 1;
    if (!GLIBC_GOES_ON.has(step.reply.rcode) && name !== asIs) stopped = true;
  }
  return undefined;
}
