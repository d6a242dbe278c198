import dnsPacket, { type Answer, type RecordType } from "dns-packet";

/** FuzzCase is one message to throw at skydns, with what kind of damage it carries. */
export interface FuzzCase {
  readonly kind: string;
  readonly bytes: Buffer;
}

/** Random is a seeded source of numbers: the same seed gives the same corpus, so a failing case can be replayed. */
export class Random {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0 || 1;
  }

  /** below returns an integer in [0, n). */
  below(n: number): number {
    // mulberry32: small, fast and good enough to spread cases; not for secrets.
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (((t ^ (t >>> 14)) >>> 0) / 4294967296) * n >>> 0;
  }

  /** pick returns one element of list. */
  pick<T>(list: readonly T[]): T {
    return list[this.below(list.length)]!;
  }

  /** bytes returns n random bytes. */
  bytes(n: number): Buffer {
    const out = Buffer.allocUnsafe(n);
    for (let i = 0; i < n; i++) out[i] = this.below(256);
    return out;
  }
}

/** NAMES are what the fuzzer's valid queries ask: in the zone (existing or not), reverse names, outside names. */
export const NAMES = [
  "kubernetes.default.svc.cluster.local",
  "KuBeRnEtEs.default.svc.cluster.local",
  "nope.default.svc.cluster.local",
  "_https._tcp.kubernetes.default.svc.cluster.local",
  "big.default.svc.cluster.local",
  "default.svc.cluster.local",
  "cluster.local",
  "1.0.0.10.in-addr.arpa",
  "www.example.org",
  "*.default.svc.cluster.local",
];
const TYPES = ["A", "AAAA", "SRV", "PTR", "TXT", "SOA", "NS", "CNAME", "MX", "ANY", "AXFR", "HINFO"] as RecordType[];

/** validQuery builds a well-formed query: one question, maybe an OPT (EDNS 0) with a size and a cookie. */
export function validQuery(random: Random, id = random.below(0x10000)): Buffer {
  const edns = random.below(2) === 1;
  const additionals = edns
    ? [{ name: ".", type: "OPT", udpPayloadSize: random.pick([0, 512, 1232, 4096, 65535]), flags: random.below(2) === 1 ? 0x8000 : 0, options: random.below(2) === 1 ? [{ code: 10, data: random.bytes(8) }] : [] } as unknown as Answer]
    : [];
  return dnsPacket.encode({ id, flags: random.below(2) === 1 ? dnsPacket.RECURSION_DESIRED : 0, questions: [{ name: random.pick(NAMES), type: random.pick(TYPES), class: "IN" }], additionals });
}

// A question header for hand-built names: id, flags 0, one question.
function header(id: number, counts: readonly [number, number, number, number] = [1, 0, 0, 0]): Buffer {
  const out = Buffer.alloc(12);
  out.writeUInt16BE(id, 0);
  counts.forEach((count, i) => out.writeUInt16BE(count, 4 + 2 * i));
  return out;
}

const TAIL_A_IN = Buffer.from([0, 1, 0, 1]);

/**
 * GENERATORS make each kind of hostile message (RFC 1035 section 4.1 is what they break): random bytes, mutated valid
 * queries (any byte, any count, any flag), truncations, compression pointers that loop or point forward, labels over
 * 63 octets, names over 255, huge counts with no records, EDNS with bad versions, sizes and options.
 */
export const GENERATORS: Readonly<Record<string, (random: Random) => Buffer>> = {
  "random bytes": (random) => random.bytes(random.below(600)),
  "valid query": (random) => validQuery(random),
  "one byte changed": (random) => {
    const bytes = validQuery(random);
    bytes[random.below(bytes.length)] = random.below(256);
    return bytes;
  },
  "several bytes changed": (random) => {
    const bytes = validQuery(random);
    for (let n = 1 + random.below(8); n > 0; n--) bytes[random.below(bytes.length)] = random.below(256);
    return bytes;
  },
  "a count that lies": (random) => {
    const bytes = validQuery(random);
    bytes.writeUInt16BE(random.pick([0, 2, 3, 255, 0xffff, random.below(0x10000)]), 4 + 2 * random.below(4));
    return bytes;
  },
  "flags and opcode": (random) => {
    const bytes = validQuery(random);
    bytes.writeUInt16BE(random.below(0x10000), 2);
    return bytes;
  },
  "cut short": (random) => {
    const bytes = validQuery(random);
    return bytes.subarray(0, random.below(bytes.length));
  },
  "trailing junk": (random) => Buffer.concat([validQuery(random), random.bytes(1 + random.below(40))]),
  "pointer loop": (random) => {
    // The name is a pointer to itself (offset 12), or two pointers to each other.
    const self = Buffer.from([0xc0, 12]);
    const pair = Buffer.from([0xc0, 14, 0xc0, 12]);
    return Buffer.concat([header(random.below(0x10000)), random.below(2) === 1 ? self : pair, TAIL_A_IN]);
  },
  "pointer forward": (random) => Buffer.concat([header(random.below(0x10000)), Buffer.from([1, 0x61, 0xc0, 40 + random.below(200)]), TAIL_A_IN]),
  "label over 63": (random) => {
    const length = 64 + random.below(192);
    return Buffer.concat([header(random.below(0x10000)), Buffer.from([length]), Buffer.alloc(length, 0x61), Buffer.from([0]), TAIL_A_IN]);
  },
  "name over 255": (random) => {
    const labels: Buffer[] = [];
    for (let octets = 0; octets < 256 + random.below(200); octets += 64) labels.push(Buffer.concat([Buffer.from([63]), Buffer.alloc(63, 0x62)]));
    return Buffer.concat([header(random.below(0x10000)), ...labels, Buffer.from([0]), TAIL_A_IN]);
  },
  "huge counts, no records": (random) => Buffer.concat([header(random.below(0x10000), [1, 0xffff, 0xffff, 0xffff]), Buffer.from([1, 0x61, 0]), TAIL_A_IN]),
  "bad EDNS": (random) => {
    const version = random.pick([1, 2, 255]);
    const options = random.below(2) === 1 ? [{ code: random.below(0x10000), data: random.bytes(random.below(40)) }] : [];
    const opt = { name: ".", type: "OPT", udpPayloadSize: random.pick([0, 1, 511, 65535]), ednsVersion: version, flags: 0, options } as unknown as Answer;
    return dnsPacket.encode({ id: random.below(0x10000), questions: [{ name: random.pick(NAMES), type: "A", class: "IN" }], additionals: [opt] });
  },
  "two OPTs": (random) => {
    const opt = { name: ".", type: "OPT", udpPayloadSize: 1232, flags: 0, options: [] } as unknown as Answer;
    return dnsPacket.encode({ id: random.below(0x10000), questions: [{ name: random.pick(NAMES), type: "A", class: "IN" }], additionals: [opt, opt] });
  },
  "OPT whose data lies": (random) => {
    const query = dnsPacket.encode({ id: random.below(0x10000), questions: [{ name: random.pick(NAMES), type: "A", class: "IN" }] });
    query.writeUInt16BE(1, 10);
    // Owner root, type OPT, size 1232, EDNS 0, then an RDLENGTH that does not match the option bytes after it.
    const data = random.bytes(random.below(12));
    const opt = Buffer.from([0, 0, 41, 4, 208, 0, 0, 0, 0, 0, 0]);
    opt.writeUInt16BE(random.pick([data.length + 1, data.length + 100, 0xffff, Math.max(0, data.length - 1)]), 9);
    return Buffer.concat([query, opt, data]);
  },
};

const KINDS = Object.keys(GENERATORS);

/** corpus yields count cases from seed, cycling through every kind. */
export function* corpus(seed: number, count: number): Generator<FuzzCase> {
  const random = new Random(seed);
  for (let i = 0; i < count; i++) {
    const kind = KINDS[i % KINDS.length]!;
    yield { kind, bytes: GENERATORS[kind]!(random) };
  }
}
