import { createSocket } from "node:dgram";
import dnsPacket from "dns-packet";

/** Expected is what one name must answer: an rcode, and for NOERROR the exact set of A (or other) rdata. */
export interface Expected {
  readonly name: string;
  readonly type: "A" | "AAAA" | "SRV" | "PTR" | "TXT";
  readonly rcode: "NOERROR" | "NXDOMAIN";
  /** The answers' rdata as dns-packet decodes it to text (an address, a target name); sorted. */
  readonly data: readonly string[];
}

/** Mismatch is a name whose answer differed from what was expected. */
export interface Mismatch {
  readonly expected: Expected;
  readonly got: string;
}

/** SweepResult says how many queries were answered right, and which were not. */
export interface SweepResult {
  readonly asked: number;
  readonly mismatches: readonly Mismatch[];
  readonly seconds: number;
}

const IN_FLIGHT = 64;
const TRY_MS = 2000;
const TRIES = 3;

/**
 * sweep asks a DNS server every expected name over UDP, IN_FLIGHT at a time, and checks every answer: the rcode and
 * the exact set of records. A query without a reply is asked again (at most TRIES times, TRY_MS each); one never
 * answered is a mismatch. Bounded: at most TRIES * TRY_MS per name, and every name is asked.
 */
export async function sweep(host: string, port: number, expected: readonly Expected[]): Promise<SweepResult> {
  const started = Date.now();
  const socket = createSocket("udp4");
  const pending = new Map<number, { readonly index: number; readonly timer: NodeJS.Timeout; readonly resolve: (reply: Buffer | undefined) => void }>();
  socket.on("message", (reply) => {
    const waiter = pending.get(reply.readUInt16BE(0));
    if (waiter === undefined) return;
    pending.delete(reply.readUInt16BE(0));
    clearTimeout(waiter.timer);
    waiter.resolve(reply);
  });
  await new Promise<void>((resolve) => socket.bind(0, "127.0.0.1", resolve));
  let nextId = 1;
  const ask = (index: number): Promise<Buffer | undefined> =>
    new Promise((resolve) => {
      let id = nextId++ & 0xffff;
      while (pending.has(id)) id = nextId++ & 0xffff;
      const { name, type } = expected[index]!;
      const timer = setTimeout(() => {
        pending.delete(id);
        resolve(undefined);
      }, TRY_MS);
      pending.set(id, { index, timer, resolve });
      socket.send(dnsPacket.encode({ id, flags: dnsPacket.RECURSION_DESIRED, questions: [{ name, type, class: "IN" }] }), port, host);
    });
  const mismatches: Mismatch[] = [];
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < expected.length) {
      const index = next++;
      let reply: Buffer | undefined;
      for (let attempt = 0; attempt < TRIES && reply === undefined; attempt++) reply = await ask(index);
      const got = reply === undefined ? "no reply" : describe(reply);
      const want = render(expected[index]!);
      if (got !== want) mismatches.push({ expected: expected[index]!, got });
    }
  };
  try {
    await Promise.all(Array.from({ length: IN_FLIGHT }, worker));
  } finally {
    socket.close();
  }
  return { asked: expected.length, mismatches, seconds: (Date.now() - started) / 1000 };
}

function render(expected: Expected): string {
  return `${expected.rcode} ${[...expected.data].sort().join(",")}`;
}

function describe(reply: Buffer): string {
  try {
    const packet = dnsPacket.decode(reply);
    const rcode = (packet as { rcode?: string }).rcode ?? "NOERROR";
    const type = packet.questions?.[0]?.type;
    const data = (packet.answers ?? []).filter((rr) => rr.type === type).map((rr) => rdataText(rr));
    return `${rcode} ${data.sort().join(",")}`;
  } catch (error) {
    return `undecodable reply: ${(error as Error).message}`;
  }
}

function rdataText(rr: dnsPacket.Answer): string {
  if (!("data" in rr)) return "";
  const data: unknown = rr.data;
  if (typeof data === "string") return data;
  if (rr.type === "SRV") return `${rr.data.port} ${rr.data.target}`;
  if (Array.isArray(data)) return data.map((part) => Buffer.from(part as Uint8Array).toString()).join("");
  return JSON.stringify(data);
}
