/** ProcessSecurity is what the kernel says a process may do: its ids, capability sets, no_new_privs and seccomp mode. */
export interface ProcessSecurity {
  /** Real, effective, saved and filesystem user ids. */
  readonly uids: readonly number[];
  readonly gids: readonly number[];
  readonly capabilities: {
    readonly inheritable: bigint;
    readonly permitted: bigint;
    readonly effective: bigint;
    readonly bounding: bigint;
    readonly ambient: bigint;
  };
  readonly noNewPrivs: boolean;
  /** 0: none, 1: strict, 2: a filter (a runtime's default profile). */
  readonly seccompMode: number;
}

/** ProcessMemory is a process's resident memory now and at its peak (VmHWM), in bytes. */
export interface ProcessMemory {
  readonly peakRssBytes: number;
  readonly rssBytes: number;
  readonly anonBytes: number;
}

/** processSecurity reads /proc/PID/status text. */
export function processSecurity(status: string): ProcessSecurity {
  const numbers = (key: string): number[] => field(status, key).split(/\s+/).map(Number);
  const mask = (key: string): bigint => BigInt(`0x${field(status, key)}`);
  return {
    uids: numbers("Uid"),
    gids: numbers("Gid"),
    capabilities: { inheritable: mask("CapInh"), permitted: mask("CapPrm"), effective: mask("CapEff"), bounding: mask("CapBnd"), ambient: mask("CapAmb") },
    noNewPrivs: field(status, "NoNewPrivs") === "1",
    seccompMode: Number(field(status, "Seccomp")),
  };
}

/** processMemory reads /proc/PID/status text. */
export function processMemory(status: string): ProcessMemory {
  const bytes = (key: string): number => Number(field(status, key).replace(/\s*kB$/, "")) * 1024;
  return { peakRssBytes: bytes("VmHWM"), rssBytes: bytes("VmRSS"), anonBytes: bytes("RssAnon") };
}

/** rootMountOptions reads /proc/PID/mountinfo text and returns the options of the mount on / (the topmost one). */
export function rootMountOptions(mountinfo: string): string[] {
  const roots = mountinfo
    .split("\n")
    .map((line) => line.split(" "))
    .filter((fields) => fields[4] === "/");
  const top = roots.at(-1);
  if (top === undefined) throw new Error("no mount on / in mountinfo");
  return (top[5] ?? "").split(",");
}

function field(status: string, key: string): string {
  const value = new RegExp(`^${key}:\\s*(.*)$`, "m").exec(status)?.[1];
  if (value === undefined) throw new Error(`no ${key} in /proc/PID/status`);
  return value.trim();
}
