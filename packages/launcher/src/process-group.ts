const liveGroups = new Set<number>();
let exitHookInstalled = false;

/** killGroup sends signal to every process in the group led by pid; a group that is gone is not an error. */
export function killGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // ESRCH: nothing left in the group
  }
}

/**
 * trackGroup remembers a child's process group until release(), so that a launcher dying on an uncaught error
 * still SIGKILLs its children on the way out instead of leaving them behind.
 */
export function trackGroup(pid: number): () => void {
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    process.once("exit", () => {
      for (const group of liveGroups) killGroup(group, "SIGKILL");
    });
  }
  liveGroups.add(pid);
  return () => liveGroups.delete(pid);
}
