import type { ExitStatus } from "./child.js";
import type { ChildStatus } from "./supervisor.js";

/** describeExit says how a child ended, for the log: `exit code 1`, `signal SIGKILL` or why it could not start. */
export function describeExit(status: ExitStatus): string {
  if (status.error !== undefined) return `could not start: ${status.error}`;
  return status.signal !== null ? `signal ${status.signal}` : `exit code ${status.code ?? "unknown"}`;
}

/** describeStatus says in a few words how a child stands, for the log: `skydns: running, ready, 2 restarts, last exit code 1`. */
export function describeStatus(status: ChildStatus): string {
  const exit = status.lastExit === undefined ? "" : `, last ${describeExit(status.lastExit)}`;
  return `${status.name}: ${status.state}${status.ready ? ", ready" : ""}, ${status.restarts} restarts${exit}`;
}
