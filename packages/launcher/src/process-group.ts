import { readdirSync, readFileSync } from "node:fs";

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

/** groupHasLiveMembers tells whether any process of group pgid is still running (zombies awaiting their reaper count as gone). */
export function groupHasLiveMembers(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
  } catch {
    return false;
  }
  // kill(2) succeeds for zombies too, and an orphan's zombie is reaped by whoever is pid 1: ask /proc instead.
  let entries: string[];
  try {
    entries = readdirSync("/proc");
  } catch {
    return true;
  }
  for (const entry of entries) {
    if (entry.charCodeAt(0) < 48 || entry.charCodeAt(0) > 57) continue;
    let stat: string;
    try {
      stat = readFileSync(`/proc/${entry}/stat`, "utf8");
    } catch {
      continue; // exited while we looked
    }
    // Fields after the command (which may hold spaces and parentheses): state ppid pgrp ...
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    if (Number(fields[2]) === pgid && fields[0] !== "Z") return true;
  }
  return false;
}

/**
 * waitGroupGone resolves once no process of group pgid is running, or after timeoutMs. SIGKILL is delivered
 * asynchronously: a loaded machine may take a moment to end a process after kill(2) has returned.
 */
export async function waitGroupGone(pgid: number, timeoutMs: number, pollMs = 10): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (!groupHasLiveMembers(pgid)) return true;
    if (Date.now() >= deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, pollMs));
  }
}
