/** NslookupAnswer is one `Name:` / `Address:` pair that nslookup printed. */
export interface NslookupAnswer {
  readonly name: string;
  readonly address: string;
}

/** nslookupAnswers reads the answers of nslookup's output (after the Server/Address header), names without the trailing dot. */
export function nslookupAnswers(stdout: string): NslookupAnswer[] {
  const answers: NslookupAnswer[] = [];
  let name: string | undefined;
  // The first `Address:` line (with #53) is the server's, before any `Name:`.
  for (const line of stdout.split("\n")) {
    const nameMatch = /^Name:\s+(\S+)/.exec(line);
    if (nameMatch?.[1] !== undefined) name = nameMatch[1].replace(/\.$/, "");
    const addressMatch = /^Address:\s+(\S+)$/.exec(line);
    if (addressMatch?.[1] !== undefined && name !== undefined) answers.push({ name, address: addressMatch[1] });
  }
  return answers;
}

/** DigRecord is one resource record line of dig's ANSWER or ADDITIONAL section. */
export interface DigRecord {
  readonly name: string;
  readonly ttl: number;
  readonly type: string;
  readonly data: string;
}

/** digSection reads the records of one section of dig's full output (`;; ANSWER SECTION:` up to the next blank line). */
export function digSection(stdout: string, section: "ANSWER" | "ADDITIONAL" | "AUTHORITY"): DigRecord[] {
  const lines = stdout.split("\n");
  const start = lines.indexOf(`;; ${section} SECTION:`);
  if (start === -1) return [];
  const records: DigRecord[] = [];
  for (const line of lines.slice(start + 1)) {
    if (line.trim() === "") break;
    const [name, ttl, , type, ...data] = line.split(/\s+/);
    if (name === undefined || ttl === undefined || type === undefined) continue;
    records.push({ name, ttl: Number(ttl), type, data: data.join(" ") });
  }
  return records;
}

/** digStatus reads the rcode dig printed in its header (`status: NXDOMAIN`). */
export function digStatus(stdout: string): string | undefined {
  return /status: ([A-Z]+)/.exec(stdout)?.[1];
}

/** shortAnswers reads `dig +short` output: one value per line, sorted. */
export function shortAnswers(stdout: string): string[] {
  return stdout.split("\n").map((line) => line.trim()).filter((line) => line !== "" && !line.startsWith(";")).sort();
}

/** GetentHost is one line of `getent hosts`: an address and its names, as glibc resolved them. */
export interface GetentHost {
  readonly address: string;
  readonly names: readonly string[];
}

/** getentHosts reads `getent hosts` output. */
export function getentHosts(stdout: string): GetentHost[] {
  return stdout.split("\n").filter((line) => line.trim() !== "").map((line) => {
    const [address = "", ...names] = line.trim().split(/\s+/);
    return { address, names };
  });
}
