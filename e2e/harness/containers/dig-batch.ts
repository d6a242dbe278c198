/**
 * answersOf reads the output of `dig +noall +answer -f FILE` (one line per record: name, TTL, class, type, data)
 * into each name's records of type, names without the trailing dot and data sorted. A name with no answer is absent.
 */
export function answersOf(stdout: string, type = "A"): Map<string, string[]> {
  const answers = new Map<string, string[]>();
  for (const line of stdout.split("\n")) {
    const [name, , , recordType, data] = line.trim().split(/\s+/);
    if (name === undefined || data === undefined || recordType !== type || name.startsWith(";")) continue;
    const key = name.replace(/\.$/, "");
    answers.set(key, [...(answers.get(key) ?? []), data].sort());
  }
  return answers;
}

/** mismatches lists the names whose answers differ from expected, as `name: got [..], want [..]`. */
export function mismatches(expected: ReadonlyMap<string, readonly string[]>, got: ReadonlyMap<string, readonly string[]>): string[] {
  const wrong: string[] = [];
  for (const [name, want] of expected) {
    const have = got.get(name) ?? [];
    if (have.join(",") !== [...want].sort().join(",")) wrong.push(`${name}: got [${have.join(", ")}], want [${[...want].sort().join(", ")}]`);
  }
  return wrong;
}
