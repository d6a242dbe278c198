/** HostPort is a listen or dial address split into its parts. */
export interface HostPort {
  readonly host: string;
  readonly port: number;
}

/**
 * parseHostPort reads `host:port`, `[v6]:port` or `:port` (all interfaces, as Go's net package reads it).
 * defaultHost fills a missing host. It throws with the flag's text on a bad port or shape.
 */
export function parseHostPort(text: string, defaultHost = "0.0.0.0"): HostPort {
  const match = /^(?:\[([^\]]+)\]|([^:[\]]*)):(\d{1,5})$/.exec(text.trim());
  const port = match ? Number(match[3]) : Number.NaN;
  if (!match || port > 65535) throw new Error(`invalid address ${JSON.stringify(text)}; write it like 127.0.0.1:53, [::1]:53 or :53`);
  const host = match[1] ?? match[2] ?? "";
  return { host: host === "" ? defaultHost : host, port };
}

/** parsePort reads a TCP/UDP port number (0 asks the kernel for a free one). */
export function parsePort(text: string): number {
  const port = /^\d{1,5}$/.test(text.trim()) ? Number(text) : Number.NaN;
  if (!(port >= 0 && port <= 65535)) throw new Error(`invalid port ${JSON.stringify(text)}; it must be 0 to 65535`);
  return port;
}
