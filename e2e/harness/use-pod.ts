import { afterAll, beforeAll } from "vitest";
import { type PodOptions, type PodUnderTest, startPod } from "./pod-under-test.js";

/**
 * usePod starts one pod under test for the enclosing describe (beforeAll) and stops it afterwards (afterAll), and
 * returns an accessor that throws a clear error when the pod never started.
 */
export function usePod(options: PodOptions = {}): () => PodUnderTest {
  let running: PodUnderTest | undefined;
  beforeAll(async () => {
    running = await startPod(options);
  }, 120_000);
  afterAll(async () => {
    await running?.stop();
  }, 60_000);
  return () => {
    if (running === undefined) throw new Error("the pod did not start (see beforeAll's error)");
    return running;
  };
}
