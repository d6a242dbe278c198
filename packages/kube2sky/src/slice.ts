import { performance } from "node:perf_hooks";
import { setImmediate as nextTurn } from "node:timers/promises";

/** SLICE_MS is the longest run of synchronous sync work between two turns of the event loop. */
export const SLICE_MS = 20;

/**
 * timeSlicer returns a function that long synchronous work (a full sync's records and diff, 100,000 services and
 * more) awaits between items: it yields one turn of the event loop once `sliceMs` of work have passed, and is a
 * clock read otherwise. Without it the loop is held for seconds at that size, the leader's lease keepalives go
 * unsent, etcd expires the lease, and the sync ends in a fenced write, over and over (seen at 10,000 services plus
 * 5,000 headless on a loaded machine).
 */
export function timeSlicer(sliceMs: number = SLICE_MS): () => Promise<void> | undefined {
  let since = performance.now();
  return () => {
    if (performance.now() - since < sliceMs) return undefined;
    return nextTurn().then(() => {
      since = performance.now();
    });
  };
}
