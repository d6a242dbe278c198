import { shortAnswers } from "./answers.js";
import { eventually } from "./poll.js";
import type { PodUnderTest } from "./pod-under-test.js";

/**
 * waitForAnswers polls skydns (`dig +short NAME TYPE`, outside any transcript) until it answers exactly expected,
 * in any order: kube2sky writes a record a moment after the API object changes. Bounded by timeoutMs.
 */
export async function waitForAnswers(pod: PodUnderTest, name: string, expected: readonly string[], type = "A", timeoutMs = 15_000): Promise<void> {
  const want = [...expected].sort();
  let last: string[] = [];
  await eventually(
    async () => {
      last = shortAnswers((await pod.dig(["+short", name, type])).stdout);
      return JSON.stringify(last) === JSON.stringify(want) ? true : undefined;
    },
    { what: `${name} ${type} -> [${want.join(", ")}]`, timeoutMs },
  ).catch((error: unknown) => {
    throw new Error(`${String(error)}; last seen [${last.join(", ")}]`);
  });
}
